export {
  MappingError,
  parseMapFlags,
  parseMappingJson,
  resolveMapping,
  type ColumnMapping,
  type MappingOverrides,
} from './column-mapping';
export { IMPORT_KINDS, type ImportKind } from './fields';
export { ImportAborted } from './quorum-client';
export { convertRow, derivedExternalId } from './row-conversion';
export { MAX_BATCH_SIZE, runImport, type ImportOptions, type ImportSummary } from './run-import';
export { summaryText } from './summary-text';
