"""Safe formulas of derived indicators: arithmetic on indicator codes and whitelisted functions.

The text is parsed by :func:`ast.parse` into a syntax tree only, then copied into our own small
node types through a whitelist; anything else is refused with a French message and a column.
Nothing is ever compiled or executed: evaluation walks our nodes with numpy, so it works on floats,
arrays and Series alike. Infinite or undefined results (division by zero, ``log(0)``, overflow)
become NaN.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

MAX_LENGTH = 500
MAX_NODES = 200
MAX_EXPONENT = 10.0
MAX_CONSTANT = 1e12
MAX_ROUND_DIGITS = 10

FloatArray: TypeAlias = npt.NDArray[np.float64]
Value: TypeAlias = float | FloatArray | pd.Series

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class FormulaError(ValueError):
    """A formula is refused or cannot be evaluated; ``column`` is 1-based when known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(f"colonne {column} : {message}" if column else message)


# --- Our own node types: the only things an evaluation can ever walk. --------------------------


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Variable:
    name: str
    column: int


@dataclass(frozen=True)
class Unary:
    operator: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    operator: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Node, ...]


Node: TypeAlias = Number | Variable | Unary | Binary | Call


# --- Whitelisted functions ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Function:
    min_args: int
    max_args: int | None
    apply: Callable[..., Value]


def _fold(ufunc: Callable[[Value, Value], Value]) -> Callable[..., Value]:
    def apply(*values: Value) -> Value:
        result = values[0]
        for value in values[1:]:
            result = ufunc(result, value)
        return result

    return apply


def _coalesce(*values: Value) -> Value:
    """The first value that is not missing, element by element."""
    result = values[0]
    for value in values[1:]:
        result = _fill_missing(result, value)
    return result


def _fill_missing(value: Value, fallback: Value) -> Value:
    if isinstance(value, pd.Series):
        return value.where(value.notna(), fallback)
    if isinstance(fallback, pd.Series):
        # Broadcast the left side onto the Series so that the index survives.
        left = pd.Series(np.broadcast_to(value, fallback.shape), index=fallback.index)
        return left.where(left.notna(), fallback)
    filled = np.where(np.isnan(value), fallback, value)
    return filled if filled.ndim else filled[()]  # type: ignore[no-any-return]


def _round(value: Value, digits: int = 0) -> Value:
    return np.round(value, digits)  # type: ignore[call-overload,no-any-return]


FUNCTIONS: Mapping[str, _Function] = {
    "min": _Function(2, None, _fold(np.minimum)),
    "max": _Function(2, None, _fold(np.maximum)),
    "abs": _Function(1, 1, np.abs),
    "round": _Function(1, 2, _round),
    "sqrt": _Function(1, 1, np.sqrt),
    "log": _Function(1, 1, np.log),
    "log10": _Function(1, 1, np.log10),
    "exp": _Function(1, 1, np.exp),
    "coalesce": _Function(2, None, _coalesce),
}

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_UNARY = {ast.USub: "-", ast.UAdd: "+"}

# Messages for the constructs people (or attackers) most often try, so the refusal is explicit.
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "l'accès à un attribut (« . ») est interdit",
    ast.Subscript: "l'indexation (« [...] ») est interdite",
    ast.Lambda: "les fonctions anonymes (lambda) sont interdites",
    ast.ListComp: "les compréhensions sont interdites",
    ast.SetComp: "les compréhensions sont interdites",
    ast.DictComp: "les compréhensions sont interdites",
    ast.GeneratorExp: "les compréhensions sont interdites",
    ast.Compare: "les comparaisons sont interdites",
    ast.BoolOp: "les opérateurs logiques (and, or) sont interdits",
    ast.IfExp: "les expressions conditionnelles sont interdites",
    ast.NamedExpr: "l'affectation (« := ») est interdite",
    ast.Await: "« await » est interdit",
    ast.Yield: "« yield » est interdit",
    ast.YieldFrom: "« yield » est interdit",
    ast.Starred: "le dépaquetage (« * ») est interdit",
    ast.JoinedStr: "les chaînes de caractères sont interdites",
    ast.List: "les listes sont interdites",
    ast.Tuple: "les n-uplets sont interdits",
    ast.Set: "les ensembles sont interdits",
    ast.Dict: "les dictionnaires sont interdits",
}


@dataclass(frozen=True)
class Formula:
    """A parsed formula; build it with :func:`parse_formula`."""

    text: str
    root: Node
    variables: frozenset[str]

    def __str__(self) -> str:
        return self.text

    @property
    def canonical(self) -> str:
        """The formula fully parenthesised, without layout: equal for equal formulas."""
        return _canonical(self.root)

    def evaluate(self, env: Mapping[str, Value]) -> Value:
        """Evaluate on floats, numpy arrays or pandas Series (aligned on their index).

        The result has the richest type of the inputs: a Series if any input is one, else an array
        if any input is one, else a float. Missing variables raise :class:`FormulaError`.
        """
        missing = sorted(self.variables - env.keys())
        if missing:
            raise FormulaError(f"valeur manquante pour {', '.join(missing)}")
        values = {name: _as_float(env[name]) for name in self.variables}
        with np.errstate(all="ignore"):
            result = _evaluate(self.root, values)
        if isinstance(result, pd.Series) or (isinstance(result, np.ndarray) and result.ndim):
            return result
        return float(result)


def parse_formula(text: str) -> Formula:
    """Parse and check a formula; raise :class:`FormulaError` (French, with a column) if refused."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("la formule est vide")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"la formule dépasse {MAX_LENGTH} caractères ({len(text)})")
    stripped = text.strip()
    if "\n" in stripped or "\r" in stripped:
        raise FormulaError("la formule doit tenir sur une seule ligne")
    indent = len(text) - len(text.lstrip())
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as error:
        column = error.offset + indent if error.offset else len(text.rstrip()) + 1
        raise FormulaError(_syntax_message(error.msg), column) from None
    except (ValueError, RecursionError, MemoryError):
        raise FormulaError("formule trop complexe ou illisible") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise FormulaError(f"la formule comporte plus de {MAX_NODES} éléments")
    builder = _Builder(stripped, indent)
    root = builder.build(tree.body)
    return Formula(stripped, root, frozenset(builder.variables))


def _syntax_message(python_message: str) -> str:
    if "never closed" in python_message:
        return "syntaxe invalide : parenthèse ouverte jamais fermée"
    if "unmatched" in python_message:
        return "syntaxe invalide : parenthèse fermante sans parenthèse ouvrante"
    if "literal" in python_message:
        return "syntaxe invalide : nombre mal écrit"
    return "syntaxe invalide"


class _Builder:
    """Copies a Python syntax tree into our node types, refusing everything not whitelisted."""

    def __init__(self, text: str, indent: int) -> None:
        self.text = text
        self.indent = indent
        self.variables: set[str] = set()

    def column(self, node: ast.expr, *, end: bool = False) -> int:
        # ast offsets count UTF-8 bytes; people count characters of the text they typed.
        offset = (node.end_col_offset or 0) if end else node.col_offset
        return len(self.text.encode()[:offset].decode(errors="ignore")) + 1 + self.indent

    def operator_column(self, node: ast.BinOp) -> int:
        """Column of a binary operator: the first character after the left operand and its ``)``."""
        index = self.column(node.left, end=True) - 1 - self.indent
        while index < len(self.text) and self.text[index] in " )":
            index += 1
        return index + 1 + self.indent

    def refuse(self, node: ast.expr, message: str) -> FormulaError:
        return FormulaError(message, self.column(node))

    def build(self, node: ast.expr) -> Node:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return Unary(_UNARY[type(node.op)], self.build(node.operand))
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.UnaryOp):
            raise self.refuse(node, "opérateur unaire non autorisé (seuls + et - le sont)")
        message = _REFUSED.get(type(node), "élément de syntaxe non autorisé")
        raise self.refuse(node, message)

    def constant(self, node: ast.Constant) -> Number:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.refuse(node, "seuls les nombres sont autorisés comme constantes")
        if not math.isfinite(value) or abs(value) > MAX_CONSTANT:
            raise self.refuse(node, f"constante trop grande (maximum {MAX_CONSTANT:g})")
        return Number(float(value))

    def name(self, node: ast.Name) -> Variable:
        if node.id in FUNCTIONS:
            raise self.refuse(node, f"« {node.id} » est une fonction : écrire {node.id}(...)")
        if not _NAME.match(node.id):
            raise self.refuse(node, f"nom de variable non autorisé « {node.id} »")
        self.variables.add(node.id)
        return Variable(node.id, self.column(node))

    def binary(self, node: ast.BinOp) -> Binary:
        operator = _BINARY.get(type(node.op))
        if operator is None:
            raise FormulaError(
                "opérateur non autorisé (seuls + - * / ** le sont)", self.operator_column(node)
            )
        if operator == "**":
            self.check_exponent(node.right)
        return Binary(operator, self.build(node.left), self.build(node.right))

    def check_exponent(self, node: ast.expr) -> None:
        # A literal, bounded exponent keeps ``9**9**9``-style expressions out, whatever the engine.
        literal = node.operand if isinstance(node, ast.UnaryOp) else node
        if not (
            isinstance(node, ast.Constant | ast.UnaryOp)
            and isinstance(literal, ast.Constant)
            and isinstance(literal.value, int | float)
            and not isinstance(literal.value, bool)
        ):
            raise self.refuse(node, "l'exposant doit être un nombre écrit en clair")
        if not abs(literal.value) <= MAX_EXPONENT:
            raise self.refuse(node, f"exposant trop grand (maximum {MAX_EXPONENT:g})")

    def call(self, node: ast.Call) -> Call:
        if not isinstance(node.func, ast.Name):
            raise self.refuse(node, "seules les fonctions autorisées peuvent être appelées")
        name = node.func.id
        function = FUNCTIONS.get(name)
        if function is None:
            allowed = ", ".join(sorted(FUNCTIONS))
            raise self.refuse(node, f"fonction non autorisée « {name} » (autorisées : {allowed})")
        if node.keywords:
            raise self.refuse(node, f"{name}() n'accepte pas d'arguments nommés")
        count = len(node.args)
        if count < function.min_args or (
            function.max_args is not None and count > function.max_args
        ):
            expected = _arity(function)
            raise self.refuse(node, f"{name}() attend {expected}, pas {count}")
        if name == "round" and count == 2:
            self.check_round_digits(node.args[1])
        return Call(name, tuple(self.build(argument) for argument in node.args))

    def check_round_digits(self, node: ast.expr) -> None:
        if not (
            isinstance(node, ast.Constant)
            and isinstance(node.value, int)
            and not isinstance(node.value, bool)
            and 0 <= node.value <= MAX_ROUND_DIGITS
        ):
            raise self.refuse(
                node, f"round() attend un nombre de décimales entier de 0 à {MAX_ROUND_DIGITS}"
            )


def _arity(function: _Function) -> str:
    if function.max_args is None:
        return f"au moins {function.min_args} arguments"
    if function.min_args == function.max_args:
        plural = "s" if function.min_args > 1 else ""
        return f"{function.min_args} argument{plural}"
    return f"de {function.min_args} à {function.max_args} arguments"


# --- Evaluation --------------------------------------------------------------------------------


def _as_float(value: Value) -> Value:
    if isinstance(value, pd.Series):
        return value.astype("float64")
    if isinstance(value, np.ndarray):
        return value.astype(np.float64)
    return np.float64(value)  # type: ignore[return-value]  # numpy scalar: x/0 gives inf, not an error


def _finite(value: Value) -> Value:
    """Replace infinities by NaN: an undefined result is missing, not huge."""
    if isinstance(value, pd.Series):
        return value.where(np.isfinite(value))
    result = np.where(np.isfinite(value), value, np.nan)
    return result if isinstance(value, np.ndarray) else result[()]  # type: ignore[no-any-return]


def _evaluate(node: Node, values: Mapping[str, Value]) -> Value:
    if isinstance(node, Number):
        return np.float64(node.value)  # type: ignore[return-value]
    if isinstance(node, Variable):
        return values[node.name]
    if isinstance(node, Unary):
        operand = _evaluate(node.operand, values)
        return -operand if node.operator == "-" else operand
    if isinstance(node, Binary):
        return _finite(
            _binary(node.operator, _evaluate(node.left, values), _evaluate(node.right, values))
        )
    if node.function == "round" and len(node.arguments) == 2:
        # The parser only lets a literal integer through as the number of digits.
        digits = node.arguments[1]
        assert isinstance(digits, Number)
        return _finite(_round(_evaluate(node.arguments[0], values), int(digits.value)))
    arguments = [_evaluate(argument, values) for argument in node.arguments]
    return _finite(FUNCTIONS[node.function].apply(*arguments))


def _canonical(node: Node) -> str:
    if isinstance(node, Number):
        return repr(node.value)
    if isinstance(node, Variable):
        return node.name
    if isinstance(node, Unary):
        return f"({node.operator}{_canonical(node.operand)})"
    if isinstance(node, Binary):
        return f"({_canonical(node.left)} {node.operator} {_canonical(node.right)})"
    return f"{node.function}({', '.join(_canonical(a) for a in node.arguments)})"


def _binary(operator: str, left: Value, right: Value) -> Value:
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if operator == "/":
        return left / right
    return left**right  # type: ignore[no-any-return]
