/**
 * Label ingestion: read a labels file, map and check it, append it as label events; history,
 * restore and retraction (undo); export as Parquet; persist the event log between sessions. Runs
 * in Node and the browser.
 */
export { newBatchId, type BatchKind } from './batch.ts';
export { appendLabelEvents, type AppendResult, type NewLabelEvent } from './commit.ts';
export { EVENT_LOG_FORMAT, restoreEventLog, serialiseEventLog, type SerialisedEventLog } from './event-log.ts';
export {
  effectiveLabelsTable,
  exportLabels,
  labelEventsTable,
  type LabelExportKind,
  type LabelExportOptions,
} from './export.ts';
export {
  addressLabelHistory,
  alertLabelHistory,
  restoreLabel,
  type AlertHistory,
  type AlertRowLabel,
  type HistoryEntry,
  type RestoreOptions,
  type RestoreResult,
} from './history.ts';
export {
  contentSubject,
  contentTag,
  describeEarlier,
  findImport,
  importLabelsOnce,
  labelBatches,
  prepareLabelImportOnce,
  type BatchSummary,
  type EarlierImport,
  type ImportOnceResult,
  type PreparedOnce,
} from './import-once.ts';
export {
  describeFieldSource,
  importLabels,
  prepareLabelImport,
  type FieldSource,
  type ImportIssue,
  type ImportOptions,
  type ImportReport,
  type IssueCode,
  type PreparedImport,
  type UnknownTargets,
} from './import.ts';
export {
  CONFLICT_POLICIES,
  DEFAULT_MAPPING,
  DEFAULT_NEGATIVE,
  DEFAULT_POSITIVE,
  detectColumns,
  IMPORT_SOURCES,
  LabelMappingSchema,
  MappingError,
  mappingFrom,
  mappingYaml,
  parseMapping,
  resolveMapping,
  TARGET_FIELDS,
  type ConflictPolicy,
  type ImportSource,
  type LabelMapping,
  type LabelMappingInput,
  type ResolvedMapping,
  type TargetField,
} from './mapping.ts';
export { labelSpelling, peekLabelsFile, type PeekedColumn, type PeekedFile } from './peek.ts';
export { labelFileFormat, type LabelFileFormat } from './read.ts';
export { recentLabels, type RecentLabel } from './recent.ts';
export { retractionOf, retractLabel, type RetractOptions } from './retract.ts';
export { MemoryLabelEventStore, restoreLabelEvents, saveLabelEvents, type LabelEventStore } from './store.ts';
