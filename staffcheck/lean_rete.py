"""experta's Rete nodes, activated without the work that computes nothing (issue 15).

experta 1.9.4 copies a token at the entrance of every node it reaches (the facts into a new set,
the context into a new dict), logs each activation and each test, and keeps a join node's
memories as frozensets that it turns back into a dict for every pair it compares. Nearly all of
that is for nothing here: only a feature test that binds a variable changes a token, and no node
keeps a token it was given (memories keep frozen copies). `streamline_nodes` rewires a built
network's callbacks — per engine, never experta's classes — to functions that:

* copy a token only where experta would change it (a test that binds variables), and pass the
  same token on otherwise;
* keep a join node's memories as (facts, context) pairs with the context as a dict, equal to
  experta's pairs for adding, removing and matching;
* call the tests without logging (staffcheck never turns experta's watchers on).

Everything else runs as experta runs it: the same nodes, in the same order, with the same tests;
conflict sets and not-nodes keep experta's own memories. tests/test_engine.py holds the result to
experta's own matcher, fact for fact, on the bundled teams and on generated applicants.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Mapping
from copy import copy
from dataclasses import dataclass
from typing import Any

from experta.activation import Activation
from experta.agenda import Agenda
from experta.factlist import FactList
from experta.matchers.rete.check import (
    FactCapture,
    FeatureCheck,
    TypeCheck,
    WhereCheck,
)
from experta.matchers.rete.mixins import ChildNode, NoMemory
from experta.matchers.rete.nodes import (
    ConflictSetNode,
    FeatureTesterNode,
    NotNode,
    OrdinaryMatchNode,
    WhereNode,
)
from experta.matchers.rete.token import Token, TokenInfo

__all__ = ["Snapshot", "capture", "restore", "streamline_nodes"]

Callback = Callable[[Any], None]


def streamline_nodes(matcher: Any) -> None:
    """Rewire every node of `matcher`'s network to its lean activation, and its reset to wipe
    each node with a memory once (experta's recursive reset visits a shared node once for every
    path to it: about 770 visits for the bundled pack's 160-odd memories)."""
    root = matcher.root_node
    nodes = _nodes_under(root)
    parents = Counter(id(child.node) for node in (root, *nodes) for child in node.children)
    for node in (root, *nodes):
        node.children[:] = [_lean(child, parents) for child in node.children]
    memories = tuple(node for node in nodes if type(node)._reset is not NoMemory._reset)
    matcher.lean_memories = memories  # what a snapshot copies

    def reset() -> None:
        for node in memories:
            node._reset()

    matcher.reset = reset


def _nodes_under(root: Any) -> list[Any]:
    """Every node below `root`, each once, in a fixed order."""
    found: dict[int, Any] = {}
    stack = [child.node for child in reversed(root.children)]
    while stack:
        node = stack.pop()
        if id(node) not in found:
            found[id(node)] = node
            stack.extend(child.node for child in reversed(node.children))
    return list(found.values())


def _lean(child: Any, parents: Mapping[int, int]) -> Any:
    """The child with a lean callback, if its node is one this module knows; else as it was."""
    node, callback = child.node, child.callback
    port = getattr(callback, "__name__", "")
    lean: Callback | None = None
    kind = type(node)
    if kind is FeatureTesterNode and port == "activate":
        lean = _feature_tester(node, parents)
    elif kind is OrdinaryMatchNode and port in ("activate_left", "activate_right"):
        lean = _join(node, left=port == "activate_left")
    elif kind is ConflictSetNode and port == "activate":
        lean = _conflict_set(node)
    elif kind is NotNode and port == "activate_left":
        lean = node._activate_left  # keeps no token it is given, changes none
    elif kind is NotNode and port == "activate_right":
        lean = node._activate_right
    elif kind is WhereNode and port == "activate":
        lean = _where(node)
    return child if lean is None else ChildNode(node, lean)


def _test(matcher: Any) -> Callable[[Any], Any]:
    """A feature test without its logging: the same result for the same fact."""
    kind = type(matcher)
    if kind is TypeCheck:
        fact_type = matcher.fact_type
        return lambda fact: type(fact) == fact_type  # noqa: E721 - experta's own comparison
    if kind is FactCapture:
        bind = matcher.bind
        return lambda fact: {bind: fact}
    what = matcher.what if kind is FeatureCheck else None
    if isinstance(what, str) and "__" not in what and not what.isnumeric():
        check, expected = matcher.check, matcher.expected

        def feature(fact: Any) -> Any:
            try:
                record = fact[what]
            except (IndexError, KeyError, TypeError):
                return False
            return check(record, expected)

        return feature
    own: Callable[[Any], Any] = matcher
    return own  # experta's own call (nested accessors, special fields, other checks)


def _feature_tester(node: Any, parents: Mapping[int, int]) -> Callback:
    """`FeatureTesterNode._activate`, fused with the chain of feature testers below it.

    A pattern's tests are a chain of feature testers, one per field, each with one child: the
    chain runs as one activation (the same tests in the same order, each binding checked
    against the bindings before it) and hands one token, copied once, to the last one's children.
    """
    tests = [_test(node.matcher)]
    last = node
    while len(last.children) == 1:
        below = last.children[0].node
        if type(below) is not FeatureTesterNode or parents.get(id(below)) != 1:
            break
        tests.append(_test(below.matcher))
        last = below
    chain, children = tuple(tests), last.children  # the list itself: it is rewired in place

    def activate(token: Any) -> None:
        (fact,) = token[1]  # exactly one: a feature tester only sees single-fact tokens
        context = bound = token[2]
        for test in chain:
            match = test(fact)
            if not match:
                return
            if isinstance(match, Mapping):
                for key, value in match.items():
                    if isinstance(key, tuple):  # a negated condition
                        if key[1] in bound and bound[key[1]] == value:
                            return
                    else:
                        if bound.get(key, value) != value:
                            return
                        if (False, key) in bound and bound[(False, key)] == value:
                            return
                bound = {**bound, **match}
        if bound is not context:
            token = tuple.__new__(Token, (token[0], token[1], bound))
        for child in children:
            child.callback(token)

    return activate


def _where(node: Any) -> Callback:
    """`WhereNode._activate` (a ``TEST`` condition): the test called on the bindings it names,
    without logging each call, as `WhereCheck` calls it; any other check as experta runs it."""
    matcher = node.matcher
    if type(matcher) is not WhereCheck:
        own: Callback = node._activate
        return own
    test, names, children = matcher.test, tuple(matcher.parameters), node.children

    def activate(token: Any) -> None:
        context = token[2]
        if test(**{name: context.get(name) for name in names}):
            for child in children:
                child.callback(token)

    return activate


def _join(node: Any, *, left: bool) -> Callback:
    """`OrdinaryMatchNode`'s left or right activation, its memories as (facts, context dict)."""
    matcher, children = node.matcher, node.children

    def activate(token: Any) -> None:
        tag, data, context = token
        entry = (frozenset(data), dict(context))
        branch, other_side = (
            (node.left_memory, node.right_memory) if left else (node.right_memory, node.left_memory)
        )
        if tag is Token.TagType.VALID:
            branch.append(entry)
        else:
            with contextlib.suppress(ValueError):  # as experta: a token it never saw
                branch.remove(entry)
        for other_data, other_context in other_side:
            match = matcher(context, other_context) if left else matcher(other_context, context)
            if not match:
                continue
            joined = {k: v for k, v in context.items() if isinstance(k, str)}
            for k, v in other_context.items():
                if not isinstance(k, tuple):  # negated values are not needed any further
                    joined[k] = v
            joined_token = tuple.__new__(Token, (tag, data | other_data, joined))
            for child in children:
                child.callback(joined_token)

    return activate


class _Activation(Activation):
    """experta's `Activation`, hashed once from what `TokenInfo` already froze: experta hashes
    the rule (all its patterns) and a new set of the facts and of the context at every lookup.
    Equal activations have the same rule and facts, so the same hash."""

    def __init__(self, rule: Any, facts: frozenset[Any], context: dict[str, Any], hashed: int):
        super().__init__(rule, facts, context)
        self._hash = hashed

    def __hash__(self) -> int:
        return self._hash


def _conflict_set(node: Any) -> Callback:
    """`ConflictSetNode._activate`, reading the context from the token instead of its frozen copy."""
    rule = node.rule
    rule_hash = hash(rule)

    def activate(token: Any) -> None:
        tag, data, context = token
        info = TokenInfo(data, context)
        activation = _Activation(
            rule,
            info.data,
            {k: v for k, v in context.items() if isinstance(k, str)},
            hash((rule_hash, info.data)),
        )
        if tag is Token.TagType.VALID:
            if info not in node.memory:
                node.memory.add(info)
                if activation in node.removed:
                    node.removed.remove(activation)
                else:
                    node.added.add(activation)
        else:
            try:
                node.memory.remove(info)
            except (KeyError, ValueError):
                return
            if activation in node.added:
                node.added.remove(activation)
            else:
                node.removed.add(activation)

    return activate


# --- snapshots of the working memory ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An engine's working memory at one point: its facts, agenda and every node's memory.

    Restoring it is the same as declaring those facts again after a reset — the same facts with
    the same ids, the same pending activations, the same tokens in the same memories — at the
    cost of copying a few hundred small containers instead of running the network.
    """

    facts: dict[int, Any]
    last_index: int
    references: Counter[Any]
    activations: tuple[Any, ...]
    memories: tuple[tuple[Any, tuple[Any, ...]], ...]


def capture(engine: Any) -> Snapshot:
    """The working memory of a streamlined `engine` that is not running, with nothing pending."""
    facts = engine.facts
    if engine.running or facts.added or facts.removed:
        raise RuntimeError("a snapshot is taken between runs, with every change propagated")
    return Snapshot(
        facts=dict(facts),
        last_index=facts.last_index,
        references=Counter(facts.reference_counter),
        activations=tuple(engine.agenda.activations),
        memories=tuple((node, _memory_of(node)) for node in engine.matcher.lean_memories),
    )


def restore(engine: Any, snapshot: Snapshot) -> None:
    """Put `engine`'s working memory back to `snapshot` (which stays as it was, for reuse)."""
    facts = FactList()
    # FactList is an OrderedDict: `dict.update` would leave the facts out of its order, and out of
    # every iteration over it.
    facts.update(snapshot.facts)
    facts.last_index = snapshot.last_index
    facts.reference_counter = Counter(snapshot.references)
    engine.facts = facts
    agenda = Agenda()
    agenda.activations = list(snapshot.activations)
    engine.agenda = agenda
    engine.running = False
    for node, memory in snapshot.memories:
        _set_memory(node, memory)


def _memory_of(node: Any) -> tuple[Any, ...]:
    kind = type(node)
    if kind is OrdinaryMatchNode or kind is NotNode:
        return (copy(node.left_memory), list(node.right_memory))
    if kind is ConflictSetNode:
        if node.added or node.removed:
            raise RuntimeError("a snapshot is taken with every activation collected")
        return (set(node.memory),)
    raise TypeError(f"no snapshot of a {kind.__name__}'s memory")


def _set_memory(node: Any, memory: tuple[Any, ...]) -> None:
    if type(node) is ConflictSetNode:
        node.memory = set(memory[0])
    else:
        node.left_memory, node.right_memory = copy(memory[0]), list(memory[1])
