// /metrics latency from a warm cache at N emulated Alibaba servers, next to the floor: a bare
// prom-client registry holding the same series, served by plain node:http. Measured side by side
// in one run, alternating rounds so drift on the machine hits both alike.
import { startEmulator } from '../src/emulator/server.js';
import { endpointOf, exporterConfig, startExporter } from '../test/support/harness.js';
import { alibabaAccount } from '../test/support/alibaba.js';
import { startFloor } from './floor.js';
import { measure } from './latency.js';

const KEYS = { accessKeyId: 'LTAI5tBenchFleet000001', accessKeySecret: 'bench-only-secret-0000000000000001' };

export interface LatencyRow {
  servers: number;
  series: number;
  exporter: { p50Ms: number; p99Ms: number };
  floor: { p50Ms: number; p99Ms: number };
}

export async function scrapeLatency(servers: number, requests: number, perServerSeries = true): Promise<LatencyRow> {
  const emulator = await startEmulator();
  emulator.alibaba.addAccount({ name: 'fleet', ...KEYS, fleetSize: servers, tasksPerServer: 2, cycleSeconds: 3600 });
  const running = await startExporter(
    exporterConfig({
      ttlSeconds: 3600,
      timeoutSeconds: 600,
      alibaba: [alibabaAccount('fleet', KEYS, endpointOf(emulator), { rateLimit: 5000, perServerSeries, requestTimeoutSeconds: 30 })],
    }),
  );
  try {
    const warm = await running.scrape();
    const series = warm.split('\n').filter((l) => l.startsWith('cloudscan_sas_')).length;
    const floor = await startFloor(
      warm
        .split('\n')
        .filter((l) => !l.startsWith('cloudscan_api_') && !l.startsWith('cloudscan_cache_'))
        .join('\n'),
    );
    try {
      const rounds = 4;
      const exporterTimes = [];
      const floorTimes = [];
      for (let round = 0; round < rounds; round++) {
        exporterTimes.push(await measure(`${running.url}/metrics`, Math.ceil(requests / rounds)));
        floorTimes.push(await measure(floor.url, Math.ceil(requests / rounds)));
      }
      const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      return {
        servers,
        series,
        exporter: { p50Ms: median(exporterTimes.map((t) => t.p50Ms)), p99Ms: median(exporterTimes.map((t) => t.p99Ms)) },
        floor: { p50Ms: median(floorTimes.map((t) => t.p50Ms)), p99Ms: median(floorTimes.map((t) => t.p99Ms)) },
      };
    } finally {
      await floor.close();
    }
  } finally {
    await running.close();
    await emulator.close();
  }
}
