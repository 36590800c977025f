// Who may see and reindex which repository (issue 21 item 4): Jira's project permissions, as the users file
// grants them. An administrator may do everything; another user sees the global repositories and those mapped to
// a project where they have Browse projects and View Development Tools, and may reindex exactly those.
import type { UserEntry } from './config.js';

/** The two Jira project permissions the plugin checks (Jira's own keys). */
export const PROJECT_PERMISSIONS = ['BROWSE_PROJECTS', 'VIEW_DEV_TOOLS'] as const;
export type ProjectPermission = (typeof PROJECT_PERMISSIONS)[number];

/** The Jira projects the mock knows when neither --projects nor the users file names others. */
export const DEFAULT_PROJECTS: Readonly<Record<string, number>> = Object.freeze({ TEST: 10000 });

/** The logged-in user as the handlers need them: the project ids they may browse, and those with the development panel too. */
export interface Caller {
  readonly name: string;
  readonly administrator: boolean;
  readonly browse: ReadonlySet<number>;
  /** Browse projects and View Development Tools: the projects whose repositories this user may see and reindex. */
  readonly develop: ReadonlySet<number>;
}

/** The repository fields visibility depends on. */
export interface Visibility {
  readonly global: boolean;
  readonly projectMappingIds: readonly number[];
}

export function callerOf(user: UserEntry, projects: Readonly<Record<string, number>>): Caller {
  const browse = new Set<number>();
  const develop = new Set<number>();
  for (const [key, granted] of Object.entries(user.permissions ?? {})) {
    const id = Object.hasOwn(projects, key) ? projects[key] : undefined;
    if (id === undefined || !granted.includes('BROWSE_PROJECTS')) continue;
    browse.add(id);
    if (granted.includes('VIEW_DEV_TOOLS')) develop.add(id);
  }
  return { name: user.name, administrator: user.administrator, browse, develop };
}

/** R1: global repositories are listed to every logged-in user; mapped ones to users with the development panel on a mapped project. */
export function maySee(caller: Caller, repo: Visibility): boolean {
  return caller.administrator || repo.global || repo.projectMappingIds.some((id) => caller.develop.has(id));
}

/** X1/X2 for one repository: a global one needs the development panel on some project, a mapped one on a mapped project. */
export function mayReindex(caller: Caller, repo: Visibility): boolean {
  if (caller.administrator) return true;
  return repo.global ? caller.develop.size > 0 : repo.projectMappingIds.some((id) => caller.develop.has(id));
}
