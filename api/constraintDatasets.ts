// Which datasets /v1/datasets/{dataset}/constraints serves: those whose rows are constraints of the flow-based domain.
import { DATASETS, type Dataset, isConstraintDataset } from '../domain/datasets';

/** The declared datasets the constraints route serves, in declaration order. */
export function constraintsDatasets(): Dataset[] {
  return DATASETS.filter(isConstraintDataset);
}

/** The one line a dataset of another kind gets from the constraints route. */
export function notConstraintsMessage(dataset: Dataset): string {
  const served = constraintsDatasets();
  return (
    `${dataset} holds values by border or hub, not constraints: /v1/datasets/{dataset}/constraints serves the flow-based ` +
    `domain (${served.length > 0 ? served.join(', ') : 'no declared dataset yet'}); read ${dataset} at /values`
  );
}
