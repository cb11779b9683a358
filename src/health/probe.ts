// Dispatches a check to the probe for its type.
import type { Check } from '../settings.ts';
import { probeHttp, type ProbeResult } from './http.ts';

export function probe(check: Check): Promise<ProbeResult> {
  switch (check.type) {
    case 'http':
      return probeHttp(check);
  }
}
