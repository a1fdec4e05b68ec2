-- The verdict of a stored answer (db/answerVerdict.ts): the day workflow's validate judges the answer once and records
-- what it decided here, keyed by the raw response; its write reads the body's content with that verdict's inputs and
-- takes its status, reason and error, instead of judging the same answer again. One row per raw response, replaced
-- when a build judges it again (a write that found no verdict of its own build, a validate retried after the
-- catalogue moved). A verdict is derived: losing one costs a judgement, never data.
-- Expand-only: a new table; nothing a previous release reads or writes changes, and a previous release's write,
-- which records no verdict, is judged by the next write as a write without one is.
CREATE TABLE IF NOT EXISTS jao.answer_verdict (
  raw_response_id bigint PRIMARY KEY REFERENCES jao.raw_response (raw_response_id),
  verdict jsonb NOT NULL,
  judged_by text,
  judged_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE jao.answer_verdict IS
  'what the judgement of a stored answer decided (status, reason, counts, what it read beyond the body): one row per raw response';
COMMENT ON COLUMN jao.answer_verdict.raw_response_id IS 'the stored answer judged';
COMMENT ON COLUMN jao.answer_verdict.verdict IS
  'the verdict (db/answerVerdict.ts): lane, status, reason, error, expected MTUs, the counts of the reading it judged, and the inputs it read beyond the body';
COMMENT ON COLUMN jao.answer_verdict.judged_by IS 'the worker build that judged it; a write of another build judges again';
COMMENT ON COLUMN jao.answer_verdict.judged_at IS 'when it was judged (last changed)';

GRANT SELECT, INSERT, UPDATE ON jao.answer_verdict TO jao_writer;
