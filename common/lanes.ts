// Items worked through by a few lanes at a time, each lane taking the next item when it is done with one. The first
// failure stops every lane from taking another item; once all have stopped, it is thrown: nothing is left running when
// the caller goes on (to close the pool the lanes use, or to retry the whole batch).
export async function inLanes<T>(
  items: readonly T[],
  lanes: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (failure === null && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
