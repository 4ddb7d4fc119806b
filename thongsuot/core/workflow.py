"""The workflow building block: one declarative table per system, read by one `transition()` and one
`available_actions()`, so the buttons on a page, the actions of the API and what the services accept
cannot disagree.

A table is a list of `Action`s. Each names the action (the name its timeline events and audit rows
carry), the states it may be taken in (`sources`), the state it leads to (`target`; None for an action
without a state change), who may take it — roles of the object's unit, the system-wide `dispatcher`,
the `citizen` who sent it, the `system` itself —, its guards (preconditions with their message) and the
fields it stamps. `command` groups entries under the one button or API action that takes them (e.g.
"progress" starts the work from "accepted" and adds a note once "in progress"); None means no user
takes it directly (it follows another command or a sweep). See docs/architecture-workflow.md.

The system supplies a `WorkflowAccess`: how its dispatcher, its units and its citizens are recognised
(core knows no accounts), and the refusal messages.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from thongsuot.core.timeline import Timeline, TimelineEvent

STAFF = "staff"  # audiences: the staff pages and API
CITIZEN = "citizen"  # the citizen's own page


class TransitionError(ValidationError):
    """An action the table does not allow in the object's current state (the API answers 409)."""


@dataclass(frozen=True)
class Guard:
    """A precondition: `check(obj)` must be true. Its `message` names what is wrong; with `field`, the
    refusal is a ValidationError on that field (400), else a TransitionError (409)."""

    check: Callable[[Any], bool]
    message: Any
    field: str | None = None

    def refuse(self):
        if self.field:
            return ValidationError({self.field: [self.message]})
        return TransitionError(self.message, code="guard")


@dataclass(frozen=True)
class Action:
    name: str
    sources: Sequence[str]
    target: str | None = None
    roles: Sequence[str] = ()
    dispatcher: bool = False
    citizen: bool = False
    system: bool = False
    guards: Sequence[Guard] = ()
    stamps: Mapping[str, Any] = field(default_factory=dict)  # a value, or a callable giving it
    command: str | None = ""  # "" → the action's own name; None → not offered to anyone
    audience: str = STAFF

    @property
    def button(self) -> str | None:
        return self.name if self.command == "" else self.command

    def stamped(self) -> dict:
        return {name: value() if callable(value) else value for name, value in self.stamps.items()}


class WorkflowAccess(Protocol):
    """What a system tells the workflow about its people."""

    def is_dispatcher(self, user) -> bool: ...

    def in_unit(self, user, obj, roles: Sequence[str]) -> bool:
        """Does `user` hold one of `roles` in the unit that owns `obj` (and may change its records)?"""

    def is_citizen(self, user, obj, key: str) -> bool:
        """Is `user` (or the holder of `key`, the private link) the citizen who sent `obj`?"""

    def refusal(self, user, obj, action: Action) -> str: ...


class Workflow:
    def __init__(
        self,
        *,
        name: str,
        states: type[models.TextChoices],
        actions: Sequence[Action],
        access: WorkflowAccess,
        timeline: Timeline,
        illegal_message,
        unavailable_message,
        state_field: str = "status",
    ):
        self.name, self.states, self.actions = name, states, tuple(actions)
        self.access, self.timeline, self.state_field = access, timeline, state_field
        self.illegal_message, self.unavailable_message = illegal_message, unavailable_message
        self.edges: dict[str, dict[str, Action]] = {}
        for action in self.actions:
            named = {*action.sources, *([action.target] if action.target is not None else [])}
            if not named <= set(states.values):
                raise ValueError(f"{name}.{action.name}: unknown state in {action}")
            if action.target is None:
                continue
            for source in action.sources:
                known = self.edges.setdefault(source, {}).get(action.target)
                if known is not None and known.name != action.name:
                    raise ValueError(f"{name}: {source} → {action.target} is both {known.name} and {action.name}")
                self.edges[source].setdefault(action.target, action)

    # The table ------------------------------------------------------------------------------------

    def edge(self, from_state: str, to_state: str) -> Action:
        try:
            return self.edges[from_state][to_state]
        except KeyError:
            raise TransitionError(
                self.illegal_message % {"from": self.label(from_state), "to": self.label(to_state)},
                code="illegal_transition",
            ) from None

    def allowed(self, from_state: str, to_state: str) -> bool:
        return to_state in self.edges.get(from_state, {})

    def label(self, state: str) -> str:
        return self.states(state).label if state in self.states.values else state

    def commands(self, *, audience: str | None = None) -> list[str]:
        """Every command of the table, in its order (the buttons and API actions)."""
        seen: dict[str, None] = {}
        for action in self.actions:
            if action.button and (audience is None or action.audience == audience):
                seen.setdefault(action.button)
        return list(seen)

    def entries(self, command: str) -> list[Action]:
        found = [action for action in self.actions if action.button == command]
        if not found:
            raise KeyError(f"{self.name} has no command {command!r}")
        return found

    # Who may do what ------------------------------------------------------------------------------

    def permits(self, user, obj, action: Action, *, key: str = "") -> bool:
        if action.system and user == "system":
            return True
        if action.dispatcher and self.access.is_dispatcher(user):
            return True
        if action.roles and self.access.in_unit(user, obj, action.roles):
            return True
        return action.citizen and self.access.is_citizen(user, obj, key)

    def _in_state(self, obj, command: str) -> list[Action]:
        state = getattr(obj, self.state_field)
        return [action for action in self.entries(command) if state in action.sources]

    def require(self, user, obj, command: str, *, key: str = "") -> Action:
        """Refuse unless `user` may take `command` on `obj` now: PermissionDenied (403) for someone the
        table does not name, TransitionError (409) in a state it is not offered in, the guard's error
        when a precondition fails. Returns the entry that applies."""
        entries = self.entries(command)
        if not any(self.permits(user, obj, action, key=key) for action in entries):
            raise PermissionDenied(self.access.refusal(user, obj, entries[0]))
        here = self._in_state(obj, command)
        if not here:
            state = getattr(obj, self.state_field)
            target = next((action.target for action in reversed(entries) if action.target), None)
            if target:
                message = self.illegal_message % {"from": self.label(state), "to": self.label(target)}
                raise TransitionError(message, code="illegal_transition")
            raise TransitionError(self.unavailable_message % {"from": self.label(state)}, code="unavailable")
        action = here[0]
        if not self.permits(user, obj, action, key=key):
            raise PermissionDenied(self.access.refusal(user, obj, action))
        for guard in action.guards:
            if not guard.check(obj):
                raise guard.refuse()
        return action

    def may(self, user, obj, command: str, *, key: str = "") -> bool:
        try:
            self.require(user, obj, command, key=key)
        except (PermissionDenied, ValidationError):
            return False
        return True

    def available_actions(self, user, obj, *, audience: str = STAFF, key: str = "") -> list[str]:
        """The commands `user` may take on `obj` now, in the table's order (what the pages show)."""
        state = getattr(obj, self.state_field)
        offered: dict[str, None] = {}
        for action in self.actions:
            button = action.button
            if not button or action.audience != audience or button in offered or state not in action.sources:
                continue
            if self.permits(user, obj, action, key=key) and all(guard.check(obj) for guard in action.guards):
                offered.setdefault(button)
        return list(offered)


def transition(
    workflow: Workflow,
    obj: models.Model,
    to_state: str,
    *,
    actor,
    note: str = "",
    public: bool = True,
    fields: dict | None = None,
) -> TimelineEvent:
    """Move `obj` to `to_state` along an edge of the table, stamping the edge's fields (the caller's
    `fields` win), and record the event and the audit row; TransitionError when no edge leads there.
    Who may do it is the service's `workflow.require(...)`, checked before."""
    from_state = getattr(obj, workflow.state_field)
    edge = workflow.edge(from_state, to_state)
    return workflow.timeline.record(
        obj,
        actor=actor,
        action=edge.name,
        note=note,
        public=public,
        fields={**edge.stamped(), **(fields or {}), workflow.state_field: to_state},
        from_status=from_state,
        to_status=to_state,
    )
