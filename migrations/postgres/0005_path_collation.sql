-- Subtree paths compare bytewise, whatever the database's collation: a subtree is then one
-- range of the path index ('/a/b/' <= path < '/a/b0'), which a linguistic collation would
-- not keep together ('/' sorts where the language says, not before '0').
ALTER TABLE proj_localities ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE proj_localities_next ALTER COLUMN path TYPE TEXT COLLATE "C";
