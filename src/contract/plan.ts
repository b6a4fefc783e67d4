/**
 * How many calls a refresh of an account makes: `fixed` calls, plus `perItem` for each item (server,
 * baseline strategy) whose number is only known from the cloud. `items` is set when the
 * configuration lists them.
 */
export interface CallPlan {
  fixed: number;
  perItem: number;
  /** What an item is, for messages: "server", "baseline strategy". */
  item: string;
  itemPlural: string;
  items: number | undefined;
  /** Calls that depend on what the cloud's data says, not on the config, appended to what is said of the plan. */
  note?: string;
}
