// The Log interface over @actions/core.
import * as core from '@actions/core';
import type { Log } from './log.ts';

export const coreLog: Log = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  group: (title, body) => core.group(title, body),
};
