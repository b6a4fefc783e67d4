// Every server Security Center knows, with its agent, through DescribeCloudCenterInstances page by
// page: by NextToken, as the current API reference recommends (token pages carry no TotalCount, and
// the last one no NextToken, full or not); by page number only when the first answer shows a
// service that ignores UseNextToken (no NextToken, and a TotalCount). The mode is the first answer's
// for the whole listing: a page is never asked for twice, by token or by number. An empty page ends
// the listing, whatever token it carries. Either way a fleet of n servers takes ceil(n / 100) calls.
import type { AnswerWarnings, Warn } from '../kit/answer-warnings.js';
import { toAgent } from './agents.js';
import type { DescribeCloudCenterInstancesRequest, DescribeCloudCenterInstancesResponse } from './api.js';
import { INSTANCE_PAGE_SIZE } from './plan.js';
import type { SasAgent } from './types.js';

const ACTION = 'DescribeCloudCenterInstances';
/** Stops a discovery whose pages never end (a cloud bug) from looping forever. */
export const MAX_DISCOVERY_PAGES = 1000;

export type DiscoveryPaging = Pick<DescribeCloudCenterInstancesRequest, 'UseNextToken' | 'NextToken' | 'CurrentPage' | 'PageSize'>;

/**
 * The agents of every listed server, in the order listed; a server listed twice counts once, an
 * asset without a Uuid is skipped. An agent equal to its previous snapshot's is that very object
 * (see toAgent); `now` dates the servers found uncovered. Odd values are reported in `warnings`,
 * each page an answer of its own.
 */
export async function discoverAgents(
  fetchPage: (paging: DiscoveryPaging) => Promise<DescribeCloudCenterInstancesResponse>,
  previous: readonly SasAgent[] | undefined,
  warnings: AnswerWarnings,
  now: number,
): Promise<SasAgent[]> {
  const before = new Map((previous ?? []).map((agent) => [agent.uuid, agent]));
  const found = new Map<string, SasAgent>();
  const tokens = new Set<string>();
  let paging: DiscoveryPaging = { UseNextToken: true, PageSize: INSTANCE_PAGE_SIZE };
  let byNumber = false;
  let listed = 0;
  /** The odd values of the page read last. */
  let warn: Warn = () => undefined;

  for (let pages = 1; ; pages++) {
    if (pages > MAX_DISCOVERY_PAGES) {
      warn('servers left out', `more than ${MAX_DISCOVERY_PAGES} pages; the servers after page ${MAX_DISCOVERY_PAGES} are left out`);
      break;
    }
    const answer = await fetchPage(paging);
    const odd = warnings.answer(ACTION);
    warn = (kind, message) => odd(kind, `${ACTION}: ${message}`);
    for (const instance of answer.Instances) {
      const uuid = instance.Uuid;
      if (!uuid) {
        warn('instance without Uuid', `instance ${instance.InstanceId?.slice(0, 64) ?? '?'} without Uuid; skipped`);
        continue;
      }
      if (found.has(uuid)) continue;
      const agent = toAgent({ ...instance, Uuid: uuid }, before.get(uuid), now, warn);
      if (agent.state === 'unknown') {
        const status = JSON.stringify(instance.ClientStatus?.slice(0, 40) ?? null);
        warn(
          'ClientStatus other than online, offline or pause',
          `server ${agent.uuid}: ClientStatus ${status} is none of online, offline or pause; reported as state "unknown"`,
        );
      }
      found.set(uuid, agent);
    }
    listed += answer.Instances.length;
    if (answer.Instances.length === 0) break;

    const total = answer.PageInfo?.TotalCount ?? null;
    const token = answer.PageInfo?.NextToken || null;
    // Only the first answer can show a service that pages by number instead.
    if (pages === 1) byNumber = token === null && total !== null;
    if (byNumber) {
      if ((total !== null && listed >= total) || answer.Instances.length < INSTANCE_PAGE_SIZE) break;
      paging = { CurrentPage: pages + 1, PageSize: INSTANCE_PAGE_SIZE };
      continue;
    }
    // By token: the last page carries none.
    if (token === null) break;
    if (tokens.has(token)) {
      warn('NextToken repeated', 'the same NextToken came back twice; discovery stopped there');
      break;
    }
    tokens.add(token);
    paging = { UseNextToken: true, NextToken: token, PageSize: INSTANCE_PAGE_SIZE };
  }

  return [...found.values()];
}
