/** A delivery day: a local calendar date in Europe/Amsterdam, written `YYYY-MM-DD`. */
export type DeliveryDay = string;

/** A UTC window, `from` inclusive, `to` exclusive, as ISO-8601 strings ending in `Z`. */
export interface UtcWindow {
  from: string;
  to: string;
}
