// What the post step loads only when the main step left work behind (a deployment in progress, an
// incident owed): the settings' redaction, a GitHub client, and the stopped run's ending.
import * as core from '@actions/core';
import type { PendingIncident } from './core/pending-incident.ts';
import { createRedactor, rawInputSecrets } from './core/redact.ts';
import { createCoreLog } from './core-log.ts';
import { createGitHubClient } from './github/client.ts';
import { apiTimeoutFrom } from './github/request-timeout.ts';
import { finishStoppedRun } from './modes/stopped-run.ts';
import type { RunContext } from './run-context.ts';
import { readSettings, type InputName } from './settings.ts';

/** Opens the owed incident and closes the deployments left in progress; false if the incident could not be opened. */
export async function finishLeftWork(ctx: RunContext, open: number[], pending: PendingIncident | undefined): Promise<boolean> {
  const token = core.getInput('github-token');
  // The same redaction as the main step: the incident this step may open must not publish a secret either.
  const read = await readSettings((name: InputName) => core.getInput(name), process.env);
  const secrets = read.ok ? read.settings.secrets : rawInputSecrets({ token, webhook: core.getInput('notify-webhook'), deployEnv: process.env.DEPLOY_ENV });
  secrets.forEach((secret) => core.setSecret(secret));
  const redactor = createRedactor(secrets);
  const log = createCoreLog(redactor.text);
  const gh = createGitHubClient({ token, baseUrl: ctx.apiUrl, log, userAgent: 'deploy-guard/0.1.0', requestTimeoutMs: apiTimeoutFrom(process.env).ms, redactor });
  return finishStoppedRun({ gh, context: ctx, log, openDeploymentIds: open, pending });
}
