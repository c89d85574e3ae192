// Schema names reach SQL text (identifiers cannot be bind parameters), so they are checked once
// and always quoted the way format('%I') quotes them.

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(name: string): string {
  if (!SCHEMA_NAME.test(name)) {
    throw new Error(
      `invalid schema name ${JSON.stringify(name)}: use 1-63 lowercase letters, digits or _, not starting with a digit`,
    );
  }
  return name;
}

/** Quotes an identifier as PostgreSQL's quote_ident / format('%I') does: wrap in "..." and double inner quotes. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema".table` for a table of ours (table names are constants in our code, never input). */
export function tableIn(schema: string, table: string): string {
  return `${quoteIdent(checkSchemaName(schema))}.${table}`;
}
