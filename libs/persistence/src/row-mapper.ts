import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Maps raw snake_case rows (from hand-written SQL) onto entity-shaped objects. */
export function mapRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Record<string, unknown>[],
): T[] {
  const columns = manager.connection.getMetadata(target).columns;
  return rows.map((row) => {
    const entity: Record<string, unknown> = {};
    for (const column of columns) {
      if (column.databaseName in row) entity[column.propertyName] = row[column.databaseName];
    }
    return entity as T;
  });
}
