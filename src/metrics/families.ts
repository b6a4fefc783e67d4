// Every metric the exporter exposes about itself and each account's health: name, type, labels and help
// text, in one place. Each cloud's families are in its folder (sources/<cloud>/families.ts). Dashboards,
// alerts and users depend on these names; docs/metrics.md is generated from them.
import { family } from '../contract/series.js';

export type { Family } from '../contract/series.js';

export const HEALTH = {
  up: family(
    'cloudscan_up',
    'gauge',
    ['provider', 'account'],
    'Whether the last refresh of this account read its scan state (1) or not (0): every call it needs for that succeeded. An optional part refused for lack of permission (cloudscan_action_up 0) leaves it 1.',
  ),
  actionUp: family(
    'cloudscan_action_up',
    'gauge',
    ['provider', 'account', 'action'],
    "Whether this API action's calls in the last refresh of this account that made any all succeeded (1) or not (0): which part of the account's data is missing, and why (cloudscan_api_errors_total has the code). Present once the action has been called.",
  ),
  lastSuccess: family(
    'cloudscan_last_success_timestamp_seconds',
    'gauge',
    ['provider', 'account'],
    'Unix time when data for this account was last fetched by a refresh that read its scan state (cloudscan_up 1).',
  ),
  collectDuration: family(
    'cloudscan_collect_duration_seconds',
    'gauge',
    ['provider', 'account'],
    'How long the last refresh of this account took, in seconds.',
  ),
  lastRefreshError: family(
    'cloudscan_last_refresh_error',
    'gauge',
    ['provider', 'account', 'class', 'action', 'code'],
    "The error of the last finished refresh of this account, always 1: one series per account, its labels the error's class (auth, throttled, server, network, timeout, invalid_response, client, config, canceled; none when no call failed, with action and code empty; docs/metrics.md says what each means), the API action and the error code as in cloudscan_api_errors_total. The account's state now, for alerts at the first scrape that shows an error; cloudscan_api_errors_total counts them for rates.",
  ),
  refreshFailedCalls: family(
    'cloudscan_last_refresh_failed_calls',
    'gauge',
    ['provider', 'account'],
    'Calls of the last finished refresh of this account that failed after their retries. Above 0 with cloudscan_up 0, the refresh was partial (or failed) and cloudscan_last_success_timestamp_seconds did not move; with cloudscan_up 1, only calls of an optional part failed (cloudscan_action_up tells which).',
  ),
  refreshProgress: family(
    'cloudscan_refresh_progress_ratio',
    'gauge',
    ['provider', 'account'],
    "Share of the running refresh of this account done, 0 to 1, in the source's items (servers, scans); 1 when no refresh is running.",
  ),
  dataAge: family(
    'cloudscan_data_age_seconds',
    'gauge',
    ['provider', 'account'],
    "Age of the data served for this account, in seconds: since the snapshot served was taken (a rolling refresh's published part counts); absent when there is no data.",
  ),
  accountInfo: family(
    'cloudscan_account_info',
    'gauge',
    ['provider', 'account', 'name', 'discovered_by'],
    "Each account the exporter reads; always 1. For a member account discovered in an organization, account is the member's id and name its display name in the cloud, discovered_by the organization's configured name; for a configured account, name is the account's name and discovered_by is empty.",
  ),
  organizationUp: family(
    'cloudscan_organization_up',
    'gauge',
    ['provider', 'organization'],
    "Whether the last listing of this organization's members succeeded (1) or not (0); when it failed, the members last listed are still read.",
  ),
  organizationMembers: family(
    'cloudscan_organization_members',
    'gauge',
    ['provider', 'organization'],
    'Member accounts of this organization read as accounts: those the last good listing returned that include and exclude select.',
  ),
  organizationMembersSkipped: family(
    'cloudscan_organization_members_skipped',
    'gauge',
    ['provider', 'organization', 'reason'],
    "Members the last good listing of this organization returned that are not read as accounts, by reason: inactive (their account does not exist: Resource Manager's Status), not_monitored (Security Center's multi-account management does not monitor them, so it answers nothing about them through ResourceDirectoryAccountId), invalid_id (an id not of the cloud's form), excluded (include/exclude). Every reason is present once a listing succeeded.",
  ),
  organizationLastSuccess: family(
    'cloudscan_organization_last_success_timestamp_seconds',
    'gauge',
    ['provider', 'organization'],
    "Unix time of the last good listing of this organization's members.",
  ),
  apiRequests: family(
    'cloudscan_api_requests_total',
    'counter',
    ['provider', 'account', 'action'],
    'Cloud API calls made, retries included.',
  ),
  apiErrors: family(
    'cloudscan_api_errors_total',
    'counter',
    ['provider', 'account', 'action', 'code'],
    "Cloud API calls that failed, by the cloud's error code (the first 20 distinct per account and action, then other) or timeout, network, invalid_response, http_NNN. Calls canceled by a reload or shutdown are not counted.",
  ),
  droppedSeries: family(
    'cloudscan_dropped_series_total',
    'counter',
    ['provider', 'account', 'reason'],
    'Values from the cloud left out to bound the number of series: reason "error_code" for error codes beyond the first 20 distinct ones per account and action (counted as code "other" in cloudscan_api_errors_total), "subtasks" for subtasks beyond the first 500 of one server answer, "hosts" for hosts of one CWP scan task beyond the first 50,000, "servers" for machines of one CWP coverage listing beyond the first 100,000.',
  ),
  apiDuration: family(
    'cloudscan_api_request_duration_seconds',
    'histogram',
    ['provider', 'action'],
    'Duration of cloud API calls, in seconds.',
  ),
  cacheRequests: family('cloudscan_cache_requests_total', 'counter', ['provider'], 'Account lookups made by scrapes.'),
  cacheHits: family(
    'cloudscan_cache_hits_total',
    'counter',
    ['provider'],
    'Account lookups answered from data younger than cache.ttl, with no refresh due or running.',
  ),
  buildInfo: family('cloudscan_build_info', 'gauge', ['version', 'revision', 'nodejs'], 'Build of the exporter; always 1.'),
  reloadSuccessful: family('cloudscan_config_last_reload_successful', 'gauge', [], 'Whether the last configuration reload succeeded.'),
  reloadSuccessTime: family(
    'cloudscan_config_last_reload_success_timestamp_seconds',
    'gauge',
    [],
    'Unix time of the last successful configuration reload.',
  ),
} as const;

export const API_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
