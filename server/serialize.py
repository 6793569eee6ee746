"""JSON shapes of the models, shared by the API and the console."""

from __future__ import annotations

from server import languages
from server.models import Membership, Team, User, iso


def user_json(user: User) -> dict:
    teams = (
        Team.select(Team.id, Team.name)
        .join(Membership)
        .where(Membership.user == user)
        .order_by(Team.name)
    )
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "status": user.status,
        "language": user.language,
        "languages": languages.of(user),
        "teams": [{"id": t.id, "name": t.name} for t in teams],
        "leaderboard_opt_in": user.leaderboard_opt_in,
        "digest_opt_in": user.digest_opt_in,
        "follower_count": user.follower_count,
        "joined_at": iso(user.joined_at),
    }
