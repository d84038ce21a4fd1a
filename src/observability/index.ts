/**
 * latticed/observability — access-log records in Lattice's `VpcLatticeAccessLogs` schema, and sinks.
 */
export { ABSENT, ACCESS_LOG_FIELDS, emptyRecord } from './access-log-record.js';
export type { AccessLogRecord, AccessLogSink, AuthenticationType, FailureReason } from './access-log-record.js';
export { createFileAccessLog, createMemoryAccessLog } from './file-access-log.js';
export type { FileAccessLogOptions } from './file-access-log.js';
