// What a person asks the status page for, in the query string (plain links and a GET form: no script):
// one account (`account=<provider>/<account>`), one organization and its members
// (`organization=<provider>/<name>`), or the accounts filtered by provider, state and text, one page at
// a time. A value it does not understand is named on the page, never an error.
import type { AccountHealth } from '../exporter/status.js';

export const HEALTHS: readonly AccountHealth[] = ['down', 'stale', 'pending', 'up'];
/** The state filter: `not-up` is every account that is not up (down, stale and pending). */
export const STATE_FILTERS = ['not-up', ...HEALTHS] as const;
type StateFilter = (typeof STATE_FILTERS)[number];

/** Longest text filter kept: it is shown again in the form. */
const MAX_TEXT = 200;

/** The filters of the table of accounts, kept in every link the page makes. */
export interface Filters {
  provider?: string;
  state?: StateFilter;
  /** Matched without case against the account, its member name, its organization and its error. */
  text?: string;
  /** provider/name: only the members of this organization (its own page). */
  organization?: string;
}

export interface StatusQuery extends Filters {
  /** provider/account: that account's own page. */
  account?: string;
  /** 1-based. */
  page: number;
  /** What in the query was not understood, each said on the page in plain words. */
  notices: string[];
}

/** One string from a query value; a repeated parameter takes its first value. */
function first(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

export function parseStatusQuery(query: Readonly<Record<string, unknown>>): StatusQuery {
  const notices: string[] = [];
  const parsed: StatusQuery = { page: 1, notices };
  const account = first(query['account']);
  if (account) parsed.account = account;
  const organization = first(query['organization']);
  if (organization) parsed.organization = organization;
  const provider = first(query['provider']);
  if (provider) parsed.provider = provider;
  const text = first(query['q'])?.trim();
  if (text) parsed.text = text.slice(0, MAX_TEXT);
  const state = first(query['state']);
  if (state) {
    if ((STATE_FILTERS as readonly string[]).includes(state)) parsed.state = state as StateFilter;
    else notices.push(`state=${state.slice(0, 40)} is not one of ${STATE_FILTERS.join(', ')}: every state is shown.`);
  }
  const page = first(query['page']);
  if (page !== undefined && page !== '') {
    const n = Number(page);
    if (Number.isInteger(n) && n >= 1) parsed.page = n;
    else notices.push(`page=${page.slice(0, 40)} is not a page number: the first page is shown.`);
  }
  return parsed;
}

/** Whether a filter is set: the table then says how many accounts match. */
export function filtered(filters: Filters): boolean {
  return filters.provider !== undefined || filters.state !== undefined || filters.text !== undefined;
}

/**
 * A relative link (to this same page, wherever a proxy mounts it) with these parameters, not yet
 * escaped for HTML: the caller escapes it as an attribute.
 */
export function linkTo(parameters: Filters & { account?: string; page?: number }): string {
  const search = new URLSearchParams();
  if (parameters.account !== undefined) search.set('account', parameters.account);
  if (parameters.organization !== undefined) search.set('organization', parameters.organization);
  if (parameters.provider !== undefined) search.set('provider', parameters.provider);
  if (parameters.state !== undefined) search.set('state', parameters.state);
  if (parameters.text !== undefined) search.set('q', parameters.text);
  if (parameters.page !== undefined && parameters.page > 1) search.set('page', String(parameters.page));
  const text = search.toString();
  return text === '' ? './' : `?${text}`;
}

/** The filters alone of a query: what every link of the table keeps. */
export function filtersOf({ provider, state, text, organization }: Filters): Filters {
  return {
    ...(provider === undefined ? {} : { provider }),
    ...(state === undefined ? {} : { state }),
    ...(text === undefined ? {} : { text }),
    ...(organization === undefined ? {} : { organization }),
  };
}
