// Resident memory of the real exporter process (the CLI, as users run it) after many scrapes of a
// large emulated fleet, and its growth over the second half of the run.
import { rssMiB, startCliFleet } from './cli.js';
import { drain } from './latency.js';

export interface RssResult {
  servers: number;
  perServerSeries: boolean;
  scrapes: number;
  rssMiB: number;
  growthPercent: number;
}

export async function exporterRss(servers: number, scrapes: number, perServerSeries: boolean): Promise<RssResult> {
  const fleet = await startCliFleet({ servers, rateLimit: 5000, ttl: '1h', perServerSeries, scrapeTimeout: '120s' });
  const url = `${fleet.url}/metrics`;
  try {
    let halfway = 0;
    for (let i = 1; i <= scrapes; i++) {
      const { status } = await drain(url);
      if (status !== 200) throw new Error(`/metrics answered ${status}`);
      if (i === Math.floor(scrapes / 2)) halfway = rssMiB(fleet.pid);
    }
    const end = rssMiB(fleet.pid);
    return { servers, perServerSeries, scrapes, rssMiB: end, growthPercent: ((end - halfway) / halfway) * 100 };
  } finally {
    await fleet.close();
  }
}
