// The dataset routes serve one kind of row each: the values routes keyed values (by border or hub), the constraints
// route the flow-based domain. A declared dataset of the other kind is answered 404 naming where its rows are read,
// before its query is validated, so the answer is the same whatever else the request holds.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DATASETS, type Dataset, declarationOf, isDataset, type RowKind } from '../domain/datasets';

/** The declared datasets whose rows are of `kind`, in declaration order. */
export function datasetsOfKind(kind: RowKind): Dataset[] {
  return DATASETS.filter((dataset) => declarationOf(dataset).rowKind === kind);
}

/** The one line a dataset of another kind gets from a route that serves `kind` at `/v1/datasets/{dataset}/<route>`. */
export function otherKindMessage(dataset: Dataset, kind: RowKind, route: string): string {
  if (kind === 'constraints') {
    const served = datasetsOfKind('constraints');
    return (
      `${dataset} holds values by border or hub, not constraints: /v1/datasets/{dataset}/${route} serves the flow-based ` +
      `domain (${served.join(', ')}); read ${dataset} at /values`
    );
  }
  return (
    `${dataset} holds constraints of the flow-based domain, not values by border or hub: ` +
    `/v1/datasets/{dataset}/${route} serves values; read ${dataset} at /v1/datasets/${dataset}/constraints`
  );
}

/** A preValidation hook that refuses a declared dataset whose rows are not of `kind`. */
export function servesRowKind(kind: RowKind, route: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    // Before validation the path's parameters are the raw texts.
    const { dataset } = request.params as { dataset?: string };
    if (dataset === undefined || !isDataset(dataset) || declarationOf(dataset).rowKind === kind) return;
    return reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: otherKindMessage(dataset, kind, route),
      parameter: 'dataset',
      datasets: datasetsOfKind(kind),
    });
  };
}
