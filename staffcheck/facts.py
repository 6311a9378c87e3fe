"""experta, wrapped: its import trap, the fact classes, and what rule compilers declare findings with.

Only this module imports experta; the engine and the rule kinds' compilers use it through here,
and `_importing_experta` below is the only place that knows what that import needs.

Fact classes are named for what they say in the working memory, never like the model's value
types (a `FindingFact` becomes a `staffcheck.model.Finding` only after diagnosis).
"""

from __future__ import annotations

import collections
import collections.abc
import contextlib
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any


@contextlib.contextmanager
def _importing_experta() -> Iterator[None]:
    """What ``import experta`` needs, for as long as it takes, and nothing left behind.

    experta 1.9.4 pins frozendict 1.2, whose module subclasses ``collections.Mapping``, an alias
    Python 3.10 removed (it is ``collections.abc.Mapping``). The alias is put back only while
    experta (and with it frozendict) is imported, then removed: nothing else ever sees it, and
    with frozendict >= 2 installed instead it is simply unused. After the import frozendict 1.2
    never looks the name up again. ``import experta`` also calls ``logging.basicConfig()``; the
    handler it adds is removed so that nothing stray reaches stderr.
    """
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    added = not hasattr(collections, "Mapping")
    if added:
        collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if added:
            del collections.Mapping  # type: ignore[attr-defined]
        for handler in list(root.handlers):
            if handler not in handlers_before:
                root.removeHandler(handler)


with _importing_experta():
    import experta
    from experta import AS, MATCH, NOT, TEST, Fact, KnowledgeEngine, P
    from experta.factlist import FactList
    from experta.matchers.rete import ReteMatcher
    from experta.matchers.rete import utils as rete_utils
    from experta.matchers.rete.check import TypeCheck
    from experta.matchers.rete.nodes import FeatureTesterNode
    from experta.matchers.rete.token import Token
    from experta.matchers.rete.utils import prepare_rule
    from experta.strategies import Strategy as ExpertaStrategy
    from experta.watchers import worth

from staffcheck.lean_rete import Snapshot, capture, restore, streamline_nodes  # noqa: E402  (experta is imported by now)
from staffcheck.model import Rule, Severity  # noqa: E402

__all__ = [
    "AS",
    "MATCH",
    "NOT",
    "TEST",
    "ExpertaStrategy",
    "Fact",
    "KnowledgeEngine",
    "LeanKnowledgeEngine",
    "P",
    "Snapshot",
    "capture",
    "content_key",
    "restore",
]

# --- experta's hot paths -----------------------------------------------------------------------
# Every declared fact becomes a Token, copied at each node it enters (bench/README.md: 200 members
# run about 30 token copies per fact). Two of experta 1.9.4's per-token costs compute nothing:


def _token_new(cls: type[Any], tag: Any, data: Any, context: Any = None) -> Any:
    """`Token.__new__` without its assertions: experta checks every fact of every token copy with
    ``isinstance`` (the context against the `Mapping` ABC), though only its own nodes make tokens,
    from facts and dicts. The data is still copied into a set, as experta does."""
    return tuple.__new__(
        cls,
        (tag, {data} if isinstance(data, Fact) else set(data), {} if context is None else context),
    )


def _token_copy(self: Any) -> Any:
    """`Token.copy`: copy the facts and the context once (experta copies the facts twice)."""
    return tuple.__new__(type(self), (self[0], set(self[1]), dict(self[2])))


def _fact_id(fact: Any) -> frozenset[Any]:
    """`FactList._get_fact_id` (what makes two facts the same fact), with experta's `is_special`
    test written inline: it runs on every field of every declared fact. A `StaffcheckFact` built
    from plain values (`StaffcheckFact.content`) keeps its own."""
    if getattr(fact, "_plain", False):
        return fact.content()  # type: ignore[no-any-return]
    return _content(fact)


def _content(fact: Any) -> frozenset[Any]:
    return frozenset(
        [
            fact.__class__,
            *(
                (k, v)
                for k, v in fact.items()
                if not (isinstance(k, str) and k.startswith("__") and k.endswith("__"))
            ),
        ]
    )


def content_key(facts: Iterable[Any]) -> tuple[frozenset[Any], ...]:
    """What makes `facts` the same facts (`_fact_id`, each in turn), declared or not: declaring
    a fact adds its ``__factid__`` to it, so a declared fact no longer equals a fresh copy."""
    return tuple(map(_fact_id, facts))


def _prepare_ruleset(engine: Any) -> set[Any]:
    """`ReteMatcher.prepare_ruleset`, each rule prepared (rewritten in disjunctive normal form,
    copied through ``inspect.signature``) once: a rule compiled once serves the engines of every
    post, and each of them builds its network from the same rules."""
    return {_prepared(rule) for rule in engine.get_rules()}


def _prepared(rule: Any) -> Any:
    prepared = rule.__dict__.get("_staffcheck_prepared")
    if prepared is None:  # what experta does, remembered on the rule (a rule is never changed)
        prepared = rule.__dict__["_staffcheck_prepared"] = prepare_rule(rule)
    return prepared


#: (an argument's type, the types a dispatcher has) -> the one of them functools chooses
_DISPATCHED: dict[tuple[type, tuple[type, ...]], type] = {}


def _wiring_dispatch(default: Callable[..., Any]) -> Any:
    """`functools.singledispatch` for the dispatchers experta's ``wire_rule`` makes anew for each
    rule of each engine built: every new one worked out, for each type it met, which registered
    type applies (`functools._c3_mro`, about a third of building an engine's network). This one
    asks functools once per argument type and set of registered types, for all of them; it
    has what ``wire_rule`` uses (calling it, ``register`` as a decorator, stacked)."""
    registry: dict[type, Callable[..., Any]] = {}

    def register(cls: type, function: Callable[..., Any] | None = None) -> Any:
        if function is None:
            return lambda decorated: register(cls, decorated)
        registry[cls] = function
        return function

    def dispatch(cls: type) -> Callable[..., Any]:
        key = (cls, tuple(registry))
        chosen = _DISPATCHED.get(key)
        if chosen is None:
            chosen = _DISPATCHED[key] = _chosen_by_functools(cls, key[1])
        return registry.get(chosen, default)

    def wrapper(argument: Any, /, *args: Any, **kwargs: Any) -> Any:
        return dispatch(argument.__class__)(argument, *args, **kwargs)

    wrapper.register = register  # type: ignore[attr-defined]
    wrapper.dispatch = dispatch  # type: ignore[attr-defined]
    return wrapper


def _chosen_by_functools(cls: type, types: tuple[type, ...]) -> type:
    """The type among `types` whose function `functools.singledispatch` would call for an
    argument of type `cls` (`object`: the default)."""
    probe = functools.singledispatch(lambda _: object)
    for registered in types:
        probe.register(registered, lambda _, chosen=registered: chosen)
    chosen: type = probe.dispatch(cls)(None)
    return chosen


Token.__new__ = _token_new
Token.copy = _token_copy
FactList._get_fact_id = staticmethod(_fact_id)
ReteMatcher.prepare_ruleset = staticmethod(_prepare_ruleset)
rete_utils.singledispatch = _wiring_dispatch  # the name ``wire_rule`` looks up at each call


class LeanKnowledgeEngine(KnowledgeEngine):
    """experta's engine, declaring facts built by `StaffcheckFact` without re-checking them.

    experta checks every declared fact for conditional elements among its values and for
    "__" in its keys (nested accessors); a `StaffcheckFact` built from plain values, with the
    pack's kebab-case ids in its keys, has neither. Any other fact is declared as experta does.
    """

    def run(self, steps: float = float("inf")) -> None:
        """`KnowledgeEngine.run` without the trace it formats for every firing (a string of the
        activation's facts, built even when nobody listens); experta's own when its watchers
        are on. Each step: propagate the changes, update the agenda, fire the next activation."""
        if worth("RULES", "INFO") or worth("AGENDA", "DEBUG"):  # experta's own test
            super().run(steps)
            return
        self.running = True
        while steps > 0 and self.running:
            added, removed = self.matcher.changes(*self.facts.changes)
            self.strategy.update_agenda(self.agenda, added, removed)
            activation = self.agenda.get_next()
            if activation is None:
                break
            steps -= 1
            context = activation.context
            activation.rule(self, **{k: v for k, v in context.items() if not k.startswith("__")})
        self.running = False

    def declare(self, *facts: Any) -> Any:
        if not self.facts or not all(getattr(fact, "_plain", False) for fact in facts):
            return super().declare(*facts)
        last = None
        for fact in facts:
            last = self.facts.declare(fact)
        if not self.running:
            added, removed = self.get_activations()
            self.strategy.update_agenda(self.agenda, added, removed)
        return last


def streamline(engine: Any) -> None:
    """Make a built engine's matcher cheaper, with the same results: lean node activations
    (`staffcheck.lean_rete`), `route_by_type`, and `collect_changed`. Call once the engine is
    built: its network never changes after."""
    streamline_nodes(engine.matcher)  # first: the routes take the lean callbacks
    route_by_type(engine)
    collect_changed(engine)


def collect_changed(engine: Any) -> None:
    """After each change to the facts, ask only the rules whose activations changed.

    experta's ``ReteMatcher.changes`` takes the new and cancelled activations of every rule's
    conflict-set node after every declared fact (40-odd nodes, nearly all empty). A node with
    nothing added nor removed returns two empty sets: skipping it changes nothing, and the others
    are still read in experta's order.
    """
    matcher = engine.matcher
    root = matcher.root_node
    # Found once: experta caches them for one matcher at a time (``lru_cache(maxsize=1)`` on
    # the method), so every switch between post engines walked the whole network again.
    conflict_sets = matcher._get_conflict_set_nodes()

    def changes(adding: Any = None, deleting: Any = None) -> tuple[list[Any], list[Any]]:
        if deleting is not None:
            for deleted in deleting:
                root.remove(deleted)
        if adding is not None:
            for added_fact in adding:
                root.add(added_fact)
        added: list[Any] = []
        removed: list[Any] = []
        for node in conflict_sets:
            if node.added or node.removed:
                node_added, node_removed = node.get_activations()
                added.extend(node_added)
                removed.extend(node_removed)
        return added, removed

    matcher.changes = changes


def route_by_type(engine: Any) -> None:
    """Send each new or retracted fact only to the nodes that can take its type.

    experta's root node hands every fact to every fact type's test node (20-odd here), each of
    which copies the token, compares ``type(fact)`` with its class and drops it; all but one
    fail. A `TypeCheck` test node passes exactly the facts whose type equals its class, so
    routing by type skips only nodes that would do nothing (and their debug log lines); the
    nodes that do run, run in experta's order. Other children of the root still see every fact.
    """
    root = engine.matcher.root_node
    children = tuple(root.children)
    routes: dict[type, tuple[Any, ...]] = {}

    def route(fact_type: type) -> tuple[Any, ...]:
        found = routes.get(fact_type)
        if found is None:
            found = routes[fact_type] = tuple(
                child for child in children if _takes(child.node, fact_type)
            )
        return found

    # The tokens `Token.valid` and `Token.invalid` make, built directly.
    valid, invalid = Token.TagType.VALID, Token.TagType.INVALID

    def add(fact: Fact) -> None:
        token = tuple.__new__(Token, (valid, {fact}, {}))
        for child in route(type(fact)):
            child.callback(token)

    def remove(fact: Fact) -> None:
        token = tuple.__new__(Token, (invalid, {fact}, {}))
        for child in route(type(fact)):
            child.callback(token)

    root.add, root.remove = add, remove


def _takes(node: Any, fact_type: type) -> bool:
    """Whether `node`, a child of the root, can pass a fact of `fact_type` (see `TypeCheck`)."""
    matcher: Any = getattr(node, "matcher", None)
    if type(node) is FeatureTesterNode and type(matcher) is TypeCheck:
        return bool(fact_type == matcher.fact_type)
    return True


# --- facts -------------------------------------------------------------------------------------

#: Values experta's `freeze` returns as they are (it copies only dicts, lists and sets).
_FROZEN_AS_IS = frozenset({int, str, bool, float, type(None), tuple})


class StaffcheckFact(Fact):
    """experta's `Fact`, built without a `freeze` dispatch per field when no value needs one.

    experta's ``Fact.__init__`` sets field by field through ``__setitem__``, which dispatches
    `freeze` on each value; a `Person` has 40-odd fields, and every value is already immutable.
    Anything else (positional values, a pattern's conditions) goes through experta's own way.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or not _FROZEN_AS_IS.issuperset(map(type, kwargs.values())):
            super().__init__(*args, **kwargs)
            return
        dict.update(self, kwargs)
        self._Fact__defaults: dict[str, Any] = {}  # what experta's __init__ sets last
        self._plain = True  # nothing for `LeanKnowledgeEngine.declare` to check
        self._content: frozenset[Any] | None = None

    def content(self) -> frozenset[Any]:
        """What makes two facts the same fact (experta's fact id: the class and every field but
        the special ones), made once: a plain fact is never changed after it is built."""
        if self._content is None:
            # Built from plain values and kebab-case ids, it has no special field until declared.
            declared = "__factid__" in self
            self._content = _content(self) if declared else frozenset([type(self), *self.items()])
            # `__hash__`, ahead of its first call (an exception caught costs more than the hash).
            self._hash: int = hash(self._content)
        return self._content

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self._plain, self._content = False, None  # changed: experta's checks and fact id again

    def __hash__(self) -> int:
        """The hash of the fact id, kept as experta keeps its own: experta hashes a second set
        of the same fields. Equal facts have the same fact id, so the same hash."""
        try:
            return self._hash
        except AttributeError:
            self._hash = hash(_fact_id(self))
            return self._hash


SALIENCE_POSTS = 100
SALIENCE_REQUIREMENTS = 90
SALIENCE_CONSIDER = 80
SALIENCE_EVIDENCE = 70
SALIENCE_FINDINGS = 50
SALIENCE_EXPLORE = 40
SALIENCE_COVERS = 0
SALIENCE_MODULES = -5
SALIENCE_GAPS = -10
#: The `cid` of findings about the team as a whole.
TEAM = "*team*"


class ActiveStrategy(StaffcheckFact):
    """The strategy being assessed."""


class StrategyPost(StaffcheckFact):
    """Knowledge: a strategy needs a post for some modules, with an importance."""


class RoleProfile(StaffcheckFact):
    """Knowledge: a post and its essential skills, as ((skill, minimum level), ...)."""


class TeamMode(StaffcheckFact):
    """Present in the team run: enables the coverage and gap rules."""


class WeighAllPosts(StaffcheckFact):
    """Present when a member is weighed against every post the strategy needs (the heatmap)."""


class Person(StaffcheckFact):
    """A person: id, channels, and one ``skill:<id>`` field per skill of the pack.

    ``inferred`` lists the skills whose level an evidence rule inferred. A level is the stated
    one, else the one an evidence rule inferred, else `NOT_SHOWN` (-1):
    below every real level, so a range with a ``max`` ("little or none of it") holds for a skill
    nobody showed and one with a ``min`` never does.
    """


class Inferred(StaffcheckFact):
    """An evidence rule derived skill levels for a person: ((skill, level), ...), and from what."""


class Holding(StaffcheckFact):
    """A person holds (or is screened for) a post."""


class PostNeeded(StaffcheckFact):
    """Derived: the active strategy needs this post for these modules."""


class Requirement(StaffcheckFact):
    """Derived: what a person's post requires of them, which modules it serves, the level the
    person shows (`have`), and whether that level is only inferred (a lower bound, not a
    measurement)."""


class Consider(StaffcheckFact):
    """Derived: evaluate this person against this post."""


class Evidence(StaffcheckFact):
    """Derived: what the person brings to a considered post, as ((skill, need, have), ...)."""


class StrategyChannels(StaffcheckFact):
    """Knowledge: the channels a strategy runs on."""


class ModuleRole(StaffcheckFact):
    """Knowledge (team run): a module of the active strategy and one post that carries it."""


class MemberFact(StaffcheckFact):
    """The team in the team run: one fact (``cid`` is `TEAM`) holding each skill's best level in
    the team as ``skill:<id>`` fields, for the rules that ask whether nobody has a skill at a
    level."""


class PostHolders(StaffcheckFact):
    """Team run: how many members hold a post, and the first of them (counting is not a join:
    pairing holders in the network would cost the square of the team's size)."""


class TeamSize(StaffcheckFact):
    """Team run: the team's `members`, and the people its strategy's staffing plan takes (`planned`)."""


class ModuleCovered(StaffcheckFact):
    """Derived (team run): some post carrying the module is covered."""


class Alternatives(StaffcheckFact):
    """Derived: what a blocked person brings to every post, as ((role, rows), ...)."""


class FindingFact(StaffcheckFact):
    """Derived: a rule of the pack fired for a person."""


class Reserved(StaffcheckFact):
    """Derived: a finding of severity medium or worse for this person: weigh their other posts."""


class Blocking(StaffcheckFact):
    """Derived: a finding of severity high or worse for this person on their post."""


class Covers(StaffcheckFact):
    """Derived: a member carries their post adequately."""


class GapFact(StaffcheckFact):
    """Derived: a needed post nobody carries adequately."""


def describe(fact: Fact) -> str:
    """``Requirement(role=taobao-operator, skill=taobao-operations, level=3)``, without ids."""
    fields = ", ".join(
        f"{key}={_plain(value)}"
        for key, value in fact.items()
        if isinstance(key, str) and not key.startswith("__") and key != "cid"
    )
    return f"{type(fact).__name__}({fields})"


def _plain(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def skill_field(skill: str) -> str:
    """The field of a `Person` fact that holds the level of `skill`."""
    return f"skill:{skill}"


RuleBody = Callable[..., None]


def rule(name: str, salience: int, *patterns: Any) -> Callable[[RuleBody], Any]:
    """experta's ``Rule`` decorator, naming the function so agenda keys and traces are readable."""

    def wrap(body: RuleBody) -> Any:
        body.__name__ = name
        body.__qualname__ = name
        return experta.Rule(*patterns, salience=salience)(body)

    return wrap


def pack_rule(pack: Rule, salience: int, *patterns: Any) -> Callable[[RuleBody], Any]:
    """`rule` for a rule of the pack: named ``rule:<id>``."""
    return rule(f"rule:{pack.id}", salience, *patterns)


def declare_finding(
    engine: Any, pack: Rule, cid: str, role: str, matched: Sequence[Fact], **bindings: Any
) -> None:
    """A finding about a person; one of severity high or worse also blocks them from their post,
    and one of medium or worse has the engine weigh them on every other post."""
    _declare(engine, pack, cid, role, tuple(describe(f) for f in matched), bindings)
    if pack.severity.blocks:
        engine.declare(Blocking(cid=cid))
    if pack.severity >= Severity.MEDIUM:
        engine.declare(Reserved(cid=cid))


def declare_team_finding(engine: Any, pack: Rule, role: str, **bindings: Any) -> None:
    """A finding about the team as a whole (identical ones merge: one per rule, post, binding)."""
    _declare(engine, pack, TEAM, role, (), bindings)


def _declare(
    engine: Any,
    pack: Rule,
    cid: str,
    role: str,
    matched: tuple[str, ...],
    bindings: dict[str, Any],
) -> None:
    engine.declare(
        FindingFact(
            cid=cid,
            rule=pack.id,
            role=role,
            bindings=tuple(sorted(bindings.items())),
            matched=matched,
        )
    )
