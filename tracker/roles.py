"""The three roles and their permissions. Staff status (admin access) is set per user.

- analyst: reads everything public (tracks, statements, events, outlets, articles, suggestions);
- editor: analyst + writes statements, conditions, events; works the review queue;
- source_admin: analyst + reviews outlets (approve/block, reliability) and manages feeds.
"""

from collections.abc import Callable

ANALYST = "analyst"
EDITOR = "editor"
SOURCE_ADMIN = "source_admin"

_READ = [
    "stances.view_country",
    "stances.view_codebookversion",
    "stances.view_stancelevel",
    "stances.view_weaponcategory",
    "stances.view_track",
    "stances.view_statement",
    "stances.view_condition",
    "stances.view_event",
    "sources.view_outlet",
    "sources.view_article",
    "review.view_suggestion",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ANALYST: _READ,
    EDITOR: _READ
    + [
        "stances.add_track",
        "stances.add_statement",
        "stances.change_statement",
        "stances.add_condition",
        "stances.change_condition",
        "stances.add_event",
        "stances.change_event",
        "sources.add_article",
        "review.change_suggestion",
    ],
    SOURCE_ADMIN: _READ
    + [
        "sources.add_outlet",
        "sources.change_outlet",
        "sources.view_feed",
        "sources.add_feed",
        "sources.change_feed",
        "sources.delete_feed",
        "sources.change_article",
    ],
}


def sync_roles(get_model: Callable[[str, str], type] | None = None) -> None:
    """Create the role groups and set exactly the permissions listed above. Idempotent."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    Group = get_model("auth", "Group")
    Permission = get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
