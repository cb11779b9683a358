// The Log interface over @actions/core.
import * as core from '@actions/core';
import type { Log } from './log.ts';

export const coreLog: Log = {
  info: (message) => core.info(message),
  warning: (message, title) => core.warning(message, title ? { title } : {}),
  error: (message, title) => core.error(message, title ? { title } : {}),
  group: (title, body) => core.group(title, body),
};
