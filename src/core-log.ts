// The Log interface over @actions/core: the door through which the log and annotations leave. Every
// message is redacted (the runner masks the log, but not annotations' copies on the run's page, and
// not the secrets only deploy-guard knows: query tokens, URL credentials), and a message in which
// the runner would read a workflow command is fenced with stop-commands, so untrusted text inside
// it (a reason, a command's last line, an API message) is shown, never executed.
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import { readsAsCommand, withCommandsStopped } from './report/log-text.ts';
import type { Log } from './log.ts';

/** `redact`: applied to every message and title (see core/redact.ts); default none. */
export function createCoreLog(redact: (text: string) => string = (text) => text): Log {
  return {
    info: (message) => {
      const text = redact(message);
      core.info(readsAsCommand(text) ? withCommandsStopped(text, randomUUID()) : text);
    },
    // Annotations escape their message and title (%, CR, LF): one line the runner reads whole.
    warning: (message, title) => core.warning(redact(message), title ? { title: redact(title) } : {}),
    error: (message, title) => core.error(redact(message), title ? { title: redact(title) } : {}),
    group: (title, body) => core.group(redact(title), body),
  };
}

/** The log without redaction, for code that runs before the settings are known. */
export const coreLog: Log = createCoreLog();
