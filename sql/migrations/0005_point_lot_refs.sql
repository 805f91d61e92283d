-- A lot's (source, ref) is unique per member: the same purchase or award cannot be credited
-- twice, whatever retries or replays happen above.
ALTER TABLE point_lots DROP KEY ix_point_lots_ref, ADD UNIQUE KEY uk_point_lots_ref (member_id, source, ref);
