"""whether a project was made from a built-in routine (issue 11, `rutine rediger`)

Editing a built-in routine saves the workspace's own copy as v1, under the built-in's name: `(name, 1)` then
names two routines. `projects.routine_builtin` says which one a project was made from, so the card and the
clock's monthly steps keep reading the built-in for the projects made from it. Null for the projects made before
this revision: read as before (the workspace's own routine of that name and version first, else the built-in).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("projects", sa.Column("routine_builtin", sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.drop_column("projects", "routine_builtin")
