import { createDataSource, Database, trustedWorkspaceId } from '@quorum/persistence';
import { EventIdCodec, type EventKind } from '@quorum/services';

/**
 * Reads event ids as Quorum does: the history row id an (encrypted) event id stands for, so
 * tests can order events and compare them with the stored history.
 */
export async function eventIdDecoder(databaseUrl: string) {
  const dataSource = createDataSource({ url: databaseUrl, poolSize: 1 });
  await dataSource.initialize();
  const codec = new EventIdCodec(new Database(dataSource));
  return {
    async rowIdOf(workspaceId: string, eventId: string): Promise<number> {
      const ws = trustedWorkspaceId(workspaceId);
      await codec.prepare(ws);
      return Number(codec.decode(ws, eventId, eventId.split(':')[0] as EventKind));
    },
    close: () => dataSource.destroy(),
  };
}
