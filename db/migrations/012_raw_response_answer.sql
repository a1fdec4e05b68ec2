-- What each kept raw answer was (data, empty, malformed, oversized, a refusal), so the publication of a day can
-- be dated: between the last empty answer and the first answer with data. Rows kept before this column existed
-- stay NULL (unknown).
ALTER TABLE jao.raw_response ADD COLUMN IF NOT EXISTS answer text;
ALTER TABLE jao.raw_response DROP CONSTRAINT IF EXISTS raw_response_answer_check;
ALTER TABLE jao.raw_response ADD CONSTRAINT raw_response_answer_check
  CHECK (answer IN ('data', 'not_published', 'malformed', 'oversized', 'rejected'));
