// Roles, lowest first: a viewer reads, an operator also acts on documents, an admin also manages
// users and tokens. Each action names the least role that may do it (docs/operations.md#users-and-access).

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** True when `role` is `least` or above it. */
export function atLeast(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}

/** Every action the console and the API offer, with the least role allowed to do it. */
export const ACTIONS = {
  'documents.view': 'viewer',
  'documents.replay': 'operator',
  'documents.cancel': 'operator',
  'documents.resend': 'operator',
  'outbound.build': 'operator',
  'outbound.resend': 'operator',
  'outbound.regenerate': 'operator',
  'products.map': 'operator',
  'users.manage': 'admin',
  'tokens.manage': 'admin',
  'audit.view': 'admin',
} as const satisfies Record<string, Role>;
export type Action = keyof typeof ACTIONS;

export function can(role: Role, action: Action): boolean {
  return atLeast(role, ACTIONS[action]);
}
