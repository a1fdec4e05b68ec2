// The Temporal Web UI's start page for a day that has never run, prefilled: a never-run day has no workflow page to
// link to (the UI answers 404). The UI (2.x) prefills Workflow ID, Task Queue and Workflow Type from the start page's
// query parameters, and the input from the last run under that id and type when there is one; it reads no input
// from the address, so the page shows the input to paste beside the link.
import { dayWorkflowIdOf } from './dayCells';

export const DAY_WORKFLOW_TYPE = 'deliveryDayWorkflow';

/** The day workflow's input as an operator starts it (docs/operations.md "Re-run a day"). */
export function dayStartInput(dataset: string, day: string): string {
  return JSON.stringify({ dataset, day, trigger: 'manual' });
}

/** `<ui>/namespaces/<ns>/workflows/start-workflow?workflowId=<dataset>/day/<day>&taskQueue=…&workflowType=…` */
export function startDayLink(
  uiUrl: string,
  namespace: string,
  taskQueue: string,
  dataset: string,
  day: string,
): string {
  const query = new URLSearchParams({
    workflowId: dayWorkflowIdOf(dataset, day),
    taskQueue,
    workflowType: DAY_WORKFLOW_TYPE,
  });
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/start-workflow?${query}`;
}
