// The coverage series, the same on every cloud (their `provider` label tells which): name, type,
// labels and help text. Dashboards, alerts and users depend on these names.
import { CACHED_HELP, family } from '../../contract/series.js';

const PER_SERVER = 'Off with per_host_series: false (Tencent) or per_server_series: false (Alibaba).';

export const COVERAGE = {
  servers: family(
    'cloudscan_servers',
    'gauge',
    ['provider', 'account', 'coverage'],
    `Servers by coverage, from the cloud's server listing (Tencent DescribeMachines, Alibaba DescribeCloudCenterInstances): protected (agent online), agent_offline, agent_paused, agent_missing (no agent installed), server_stopped (stopped or expired, whatever its agent says), unknown; every value always present. Absent while coverage is not read (Tencent coverage off or refused, Alibaba servers listed in the configuration). ${CACHED_HELP}`,
  ),
  serverCoverage: family(
    'cloudscan_server_coverage',
    'gauge',
    ['provider', 'account', 'uuid', 'instance', 'coverage'],
    `Coverage of a server, one-hot: 1 for its coverage, 0 for the others (the values of cloudscan_servers). ${PER_SERVER} ${CACHED_HELP}`,
  ),
  serverInfo: family(
    'cloudscan_server_info',
    'gauge',
    ['provider', 'account', 'uuid', 'instance', 'instance_id', 'region', 'ip', 'os', 'agent_version'],
    `A server of the cloud's server listing: instance id, region, private IP, OS and agent version ("" when the cloud does not say); always 1. ${PER_SERVER} ${CACHED_HELP}`,
  ),
  uncoveredSince: family(
    'cloudscan_server_uncovered_since_timestamp_seconds',
    'gauge',
    ['provider', 'account', 'uuid', 'instance', 'coverage'],
    `Unix time since which a running server has been without a working agent (any coverage but protected and server_stopped) as far as this exporter has seen it: since the first listing that found it so, without a break, since the exporter started. Present only while it is so; coverage is its coverage now. ${PER_SERVER} ${CACHED_HELP}`,
  ),
} as const;
