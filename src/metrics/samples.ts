// Account states -> samples: each account's health, and its cloud's series through the account's renderer.
import type { AccountState, SnapshotRenderer } from '../contract/account-state.js';
import type { Sample, SampleBlock } from '../contract/series.js';
import type { ApiError } from '../contract/types.js';
import { idLabel } from '../contract/labels.js';
import { HEALTH } from './families.js';

export type { Sample, SampleBlock } from '../contract/series.js';

export function accountSampleBlocks(state: AccountState, renderer: SnapshotRenderer): SampleBlock[] {
  const health: SampleBlock = { sources: undefined, samples: () => healthSamples(state) };
  return state.snapshot === undefined ? [health] : [health, ...renderer.blocks(state.snapshot)];
}

function healthSamples(state: AccountState): Sample[] {
  const labels = { provider: state.provider, account: state.account };
  const samples: Sample[] = [{ family: HEALTH.up, labels, value: state.up ? 1 : 0 }];
  for (const [action, up] of Object.entries(state.actions ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    samples.push({ family: HEALTH.actionUp, labels: { ...labels, action }, value: up ? 1 : 0 });
  }
  if (state.lastSuccessAt !== undefined) {
    samples.push({ family: HEALTH.lastSuccess, labels, value: state.lastSuccessAt / 1000 });
  }
  if (state.lastDurationSeconds !== undefined) {
    samples.push({ family: HEALTH.collectDuration, labels, value: state.lastDurationSeconds });
  }
  if (state.lastRefreshCalls !== undefined) {
    samples.push({ family: HEALTH.lastRefreshError, labels: { ...labels, ...lastRefreshErrorLabels(state.lastError) }, value: 1 });
    samples.push({ family: HEALTH.refreshFailedCalls, labels, value: state.lastRefreshCalls.failed });
  }
  return samples;
}

/** The labels of cloudscan_last_refresh_error: the class, action and code of the last refresh's error, or class none. */
function lastRefreshErrorLabels(error: ApiError | undefined): { class: string; action: string; code: string } {
  if (error === undefined) return { class: 'none', action: '', code: '' };
  return { class: error.kind, action: idLabel(error.action), code: idLabel(error.code) || 'other' };
}

/** Samples whose values move between changes of the state (progress, age): rendered on every scrape. */
export function liveSamples(state: AccountState, now: number): Sample[] {
  const labels = { provider: state.provider, account: state.account };
  const { refresh, snapshot } = state;
  const progress = refresh === undefined ? 1 : refresh.total > 0 ? Math.min(1, refresh.done / refresh.total) : 0;
  const samples: Sample[] = [{ family: HEALTH.refreshProgress, labels, value: progress }];
  if (snapshot !== undefined) {
    samples.push({ family: HEALTH.dataAge, labels, value: Math.max(0, now - snapshot.takenAt) / 1000 });
  }
  return samples;
}
