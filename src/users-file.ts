// The users file (--users) and the project list (--projects): who logs in, which Jira projects exist (key → id)
// and what each user may do in them. Every problem is named, one line each (config.ts throws them together).
import { readFileSync } from 'node:fs';
import type { UserEntry } from './config.js';
import { PROJECT_PERMISSIONS, type ProjectPermission } from './permissions.js';

/** Most projects the server knows (--projects and the users file together); each user's permissions name at most these. */
export const MAX_PROJECTS = 10_000;
/** A Jira project key as Jira's default pattern allows, and the spec's projectKey length. */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;
const MAX_PROJECT_ID = Number.MAX_SAFE_INTEGER;

/** What a users file holds: its users, and the projects it adds to --projects. */
export interface UsersFile {
  readonly users: UserEntry[];
  readonly projects: Readonly<Record<string, number>>;
  /** The option's label and path, to name the file in problems found once the project list is known. */
  readonly label: string;
}

/** `--projects TEST=10000,DEV=10001`. */
export function projectList(raw: string, problems: string[], label: string): Record<string, number> {
  const projects: Record<string, number> = {};
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) problems.push(`${label} must list projects as KEY=id, e.g. TEST=10000,DEV=10001`);
  for (const item of items) {
    const pair = /^([^=]*)=(\d{1,16})$/.exec(item);
    if (!pair) problems.push(`${label}: '${item.slice(0, 60)}' is not KEY=id, e.g. TEST=10000`);
    else addProject(projects, pair[1]!, Number(pair[2]), problems, `${label}: ${pair[1]!.slice(0, 40)}`);
  }
  return projects;
}

/** Adds key → id unless it clashes; a key or id is looked up in a map, so a list of MAX_PROJECTS stays linear. */
function addProject(projects: Record<string, number>, key: string, id: unknown, problems: string[], where: string): void {
  const owners = ownersOf(projects);
  if (!PROJECT_KEY.test(key)) problems.push(`${where}: a project key is a capital letter, then capitals, digits or _ (at most 255), got '${key.slice(0, 40)}'`);
  else if (!Number.isInteger(id) || (id as number) < 1 || (id as number) > MAX_PROJECT_ID) problems.push(`${where} must be a project id from 1 to ${MAX_PROJECT_ID}`);
  else if (Object.hasOwn(projects, key) && projects[key] !== id) problems.push(`${where}: project ${key} is already ${projects[key]}`);
  else if (owners.has(id as number) && owners.get(id as number) !== key) problems.push(`${where}: project id ${String(id)} already belongs to ${owners.get(id as number)}`);
  else if (owners.size >= MAX_PROJECTS && !Object.hasOwn(projects, key)) problems.push(`${where}: more than ${MAX_PROJECTS} projects`);
  else { projects[key] = id as number; owners.set(id as number, key); }
}
const owners = new WeakMap<Record<string, number>, Map<number, string>>();
/** id → key of a list being built (kept beside it while addProject fills it). */
function ownersOf(projects: Record<string, number>): Map<number, string> {
  let byId = owners.get(projects);
  if (!byId) owners.set(projects, (byId = new Map(Object.entries(projects).map(([k, id]) => [id, k]))));
  return byId;
}

export function usersFile(path: string, problems: string[], label: string): UsersFile {
  const none: UsersFile = { users: [], projects: {}, label };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    problems.push(`${label}: cannot read ${path} as JSON (${(e as Error).message})`);
    return none;
  }
  const list = (data as { users?: unknown })?.users;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`${label}: ${path} must hold {"users": [ … ]} with at least one user`);
    return none;
  }
  const projects: Record<string, number> = {};
  const declared = (data as { projects?: unknown }).projects;
  if (declared !== undefined && (declared === null || typeof declared !== 'object' || Array.isArray(declared))) {
    problems.push(`${label}: "projects" must be an object of project key → id, e.g. {"DEV": 10001}`);
  } else {
    for (const [key, id] of Object.entries(declared ?? {})) addProject(projects, key, id, problems, `${label}: projects.${key.slice(0, 40)}`);
  }
  const users: UserEntry[] = [];
  list.forEach((u: Record<string, unknown>, i) => {
    const where = `${label}: users[${i}]`;
    const ok = typeof u?.name === 'string' && u.name !== '' && !u.name.includes(':') && typeof u.password === 'string' && u.password !== '';
    const tokens = u?.tokens ?? [];
    if (!ok) problems.push(`${where} needs a non-empty "name" without ':' and a non-empty "password"`);
    if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string' || !/^[A-Za-z0-9._~+/-]+=*$/.test(t))) problems.push(`${where}.tokens must be an array of token strings (letters, digits, . _ ~ + / - and trailing =)`);
    if (u?.administrator !== undefined && typeof u.administrator !== 'boolean') problems.push(`${where}.administrator must be true or false`);
    if (ok && users.some((x) => x.name === u.name)) problems.push(`${where}: user ${String(u.name)} is listed twice`);
    const permissions = permissionsOf(u?.permissions, problems, `${where}.permissions`);
    users.push({
      name: String(u?.name), password: String(u?.password), tokens: Array.isArray(tokens) ? tokens.map(String) : [], administrator: u?.administrator === true,
      ...(permissions === undefined ? {} : { permissions }),
    });
  });
  return { users, projects, label };
}

/** `{"TEST": ["BROWSE_PROJECTS", "VIEW_DEV_TOOLS"]}`; whether the keys exist is checked once the project list is known. */
function permissionsOf(value: unknown, problems: string[], where: string): Record<string, ProjectPermission[]> | undefined {
  if (value === undefined) return undefined;
  const shape = `${where} must be an object of project key → a list of ${PROJECT_PERMISSIONS.join(' and/or ')}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) { problems.push(shape); return undefined; }
  const entries = Object.entries(value);
  if (entries.length > MAX_PROJECTS) { problems.push(`${where} names more than ${MAX_PROJECTS} projects`); return undefined; }
  const permissions: Record<string, ProjectPermission[]> = {};
  for (const [key, granted] of entries) {
    const at = `${where}.${key.slice(0, 40)}`;
    // Checked before it is used as a property name ("__proto__" would not be one).
    if (!PROJECT_KEY.test(key)) problems.push(`${at}: a project key is a capital letter, then capitals, digits or _ (at most 255)`);
    else if (!Array.isArray(granted) || granted.length === 0 || granted.some((p) => !PROJECT_PERMISSIONS.includes(p as ProjectPermission))) {
      problems.push(`${at} must be a non-empty list of ${PROJECT_PERMISSIONS.join(' and/or ')}`);
    } else if (new Set(granted).size !== granted.length) {
      problems.push(`${at} lists a permission twice`);
    } else if (granted.includes('VIEW_DEV_TOOLS') && !granted.includes('BROWSE_PROJECTS')) {
      // Jira shows nothing of a project to a user who cannot browse it: the development panel alone grants nothing.
      problems.push(`${at}: VIEW_DEV_TOOLS needs BROWSE_PROJECTS on the same project`);
    } else {
      permissions[key] = granted as ProjectPermission[];
    }
  }
  return permissions;
}

/** Every permission of every user names a known project (after --projects and the file's own are merged). */
export function unknownProjectProblems(file: UsersFile, projects: Readonly<Record<string, number>>): string[] {
  const problems: string[] = [];
  file.users.forEach((u, i) => {
    for (const key of Object.keys(u.permissions ?? {})) {
      if (!Object.hasOwn(projects, key)) problems.push(`${file.label}: users[${i}].permissions.${key.slice(0, 40)}: no project has the key ${key.slice(0, 40)} (known: ${Object.keys(projects).slice(0, 10).join(', ')}; add it to "projects" or --projects)`);
    }
  });
  return problems;
}

/** --projects (or the default list) with the users file's projects added; a key or id used twice differently is a problem. */
export function mergeProjects(base: Readonly<Record<string, number>>, file: UsersFile | undefined, problems: string[]): Readonly<Record<string, number>> {
  if (!file || Object.keys(file.projects).length === 0) return base;
  const merged: Record<string, number> = { ...base };
  for (const [key, id] of Object.entries(file.projects)) addProject(merged, key, id, problems, `${file.label}: projects.${key}`);
  return Object.freeze(merged);
}
