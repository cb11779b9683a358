// A staged deploy's stages in the job summary and the incident: each with its window, its times
// and its result, the failed one with why.
import { formatDuration } from '../core/duration.ts';
import type { Failure } from '../core/outcome.ts';
import type { StageMoments } from '../core/timeline.ts';
import { codeSpan } from './markdown.ts';
import { failureText, formatUtc } from './report-sections.ts';

const NAME_CHARS = 60;

/** One row per stage; `failure`: why the failed stage failed. */
export function stagesTable(stages: readonly StageMoments[], failure: Failure | undefined): string[] {
  const time = (at: number | undefined) => (at === undefined ? '' : formatUtc(at));
  const result = (s: StageMoments) => {
    if (s.result === 'healthy') return `healthy for ${formatDuration(s.windowMs)}`;
    if (s.result === 'not-reached') return 'not reached';
    return failure ? `**failed**: ${failureText({ ...failure, stage: undefined })}` : '**failed**';
  };
  return [
    '| Stage | Window | Started (UTC) | Verdict (UTC) | Result |',
    '| --- | --- | --- | --- | --- |',
    ...stages.map((s, i) => `| ${i + 1}/${stages.length} ${codeSpan(s.name, NAME_CHARS)} | ${formatDuration(s.windowMs)} | ${time(s.start)} | ${time(s.verdict)} | ${result(s)} |`),
  ];
}
