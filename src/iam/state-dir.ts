/**
 * The node's state directory (master key, access log) when neither `--state-dir` nor the file's
 * `node.stateDir` names one: relative to the working directory, like `.git`. `latticed up` and
 * `latticed credentials` must agree on it, or the credentials would be sealed under another key.
 */
export const DEFAULT_STATE_DIR = '.latticed';

/** The master key's file name inside the state directory. */
export const MASTER_KEY_FILE = 'master.key';
