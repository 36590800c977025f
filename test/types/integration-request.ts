// Type test of the generated request unions (src/generated/request-types.d.ts), compiled by
// `npm run lint` (tsc --noEmit) and by test/unit/request-types.test.ts. Each @ts-expect-error line is a
// body the spec refuses: if the union ever accepts it, the directive is unused and compilation fails.
import type { IntegrationRequestByType, IntegrationRequestUnion } from '../../src/types.js';

const secrets = { username: 'AKIAEXAMPLE', password: 'secret-access-key', pat: 'token' };

export const refused: IntegrationRequestUnion[] = [
  // @ts-expect-error AWS needs awsRegion
  { type: 'AWS', username: secrets.username, password: secrets.password },
  // @ts-expect-error GITHUB_SERVER needs origin
  { type: 'GITHUB_SERVER', pat: secrets.pat },
  // @ts-expect-error GITHUB needs pat, or username and password (a username alone is neither)
  { type: 'GITHUB', username: secrets.username },
  // @ts-expect-error GITLAB_SERVER needs pat (username and password are GITLAB_SERVER_LEGACY's)
  { type: 'GITLAB_SERVER', origin: 'https://gitlab.example.org', username: 'u', password: 'p' },
  // @ts-expect-error TFS_SERVER with a pat instead of a password needs username "all"
  { type: 'TFS_SERVER', origin: 'https://tfs.example.org', username: 'someone', pat: secrets.pat },
  // @ts-expect-error awsRegion is one of the 26 region codes (the vendor's misspelling is refused)
  { type: 'AWS', username: 'a', password: 'b', awsRegion: 'ap-outh-1' },
  // @ts-expect-error type is one of the documented types
  { type: 'BITBUCKET', pat: secrets.pat },
  // @ts-expect-error unknown fields are refused, as unevaluatedProperties: false says
  { type: 'GITLAB', pat: secrets.pat, gitlabGroup: 'x' },
];

export const accepted: IntegrationRequestUnion[] = [
  { type: 'AWS', username: secrets.username, password: secrets.password, awsRegion: 'eu-west-1' },
  { type: 'GITHUB_SERVER', origin: 'https://github.example.org', pat: secrets.pat },
  { type: 'GITHUB_SERVER', origin: 'https://github.example.org', username: 'u', password: 'p' },
  { type: 'GITHUB', pat: secrets.pat, displayName: 'no origin: the cloud default' },
  { type: 'TFS_SERVER', origin: 'https://tfs.example.org', username: 'all', pat: secrets.pat },
  { type: 'TFS_SERVER', origin: 'https://tfs.example.org', username: 'someone', password: 'p' },
  { type: 'FILESPACE', origin: '/jira/repos/*', folderDepth: 2 },
];

// Narrowing on `type` reaches the member's required fields without a cast.
export function regionOf(body: IntegrationRequestUnion): string | undefined {
  return body.type === 'AWS' ? body.awsRegion : undefined;
}
export const aws: IntegrationRequestByType['AWS'] = { type: 'AWS', username: 'a', password: 'b', awsRegion: 'us-east-1' };
