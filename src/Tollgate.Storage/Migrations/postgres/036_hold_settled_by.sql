-- A settled hold names the event that settled it instead of keeping a second copy of that event's answer (issue 15:
-- each gateway call wrote its answer twice, to events and to holds). A repeat of the settlement reads the answer
-- from the event; holds settled before keep their copy in result, which is read as before.
ALTER TABLE holds ADD COLUMN settled_by text;
