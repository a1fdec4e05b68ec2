/** A delivery day: a local calendar date in Europe/Amsterdam, written `YYYY-MM-DD`. */
export type DeliveryDay = string;
