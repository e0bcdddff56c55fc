-- Issue 13: a correction derives the copied columns again from the corrected body; the mobile a
-- signed-in person filed with stays the identity's (docs/signin.md, "Filing in one's own name").
-- NULL: filed without a signed-in identity that had a mobile (by staff, before sign-in, or by an
-- identity without one); the body's mobile is then used at every write.
ALTER TABLE requests ADD COLUMN identity_mobile TEXT;
