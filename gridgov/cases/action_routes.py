"""The REST API's move routes, generated from the action specs: one `POST …/{id}/{action}/`
and one OpenAPI operation per move, for the case, hazard and mediation APIs (ADR 0010).

The API twin of `action_forms.take_action`: the object the caller may see (else 404), the
spec's input serializer checked (400), the move through the kernel (403 `NotAllowed`, 409
`IllegalMove`), then the object as the API's detail shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.lifecycle import ActionSpec, IllegalMove, Lifecycle, NotAllowed, transition

ERROR = OpenApiResponse(description="A clear, localized message in `detail`; nothing changed.")


class MoveView(APIView):
    """One move of `lifecycle` on an object the caller may see; `answer` says the result."""

    lifecycle: ClassVar[Lifecycle]
    action_name = ""
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def post(self, request: Request, pk: int) -> Response:
        model: Any = self.lifecycle.model
        obj = model.objects.visible_to(request.user).filter(pk=pk).first()
        if obj is None:
            raise NotFound()
        spec = self.lifecycle[self.action_name]
        data: dict[str, Any] = {}
        if spec.input is not None:
            form = spec.input(data=request.data, case=obj, user=request.user)
            form.is_valid(raise_exception=True)
            data = dict(form.validated_data)
        try:
            moved = transition(self.lifecycle, obj, spec.name, acting_user=request.user, data=data)
        except NotAllowed as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        except IllegalMove as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        return self.answer(request, moved)

    def answer(self, request: Request, moved: Any) -> Response:
        raise NotImplementedError


def move_view(
    base: type[MoveView],
    spec: ActionSpec,
    *,
    prefix: str,
    responses: dict[int, Any],
    request_schema: Callable[[ActionSpec], Any] = lambda spec: spec.input,
    alias: bool = False,
) -> Any:
    """The view of one move: `base` bound to the spec, its operation `<prefix>s_<name>`
    (an alias route stays out of the schema)."""

    def post(self: MoveView, request: Request, pk: int) -> Response:
        return base.post(self, request, pk)

    schema = extend_schema(
        request=request_schema(spec),
        operation_id=f"{prefix.lower()}s_{spec.name}",
        summary=spec.button,
        responses=responses,
        exclude=alias,
    )
    view: Any = type(
        f"{prefix}{spec.name.title().replace('_', '')}{'Alias' if alias else ''}View",
        (base,),
        {"action_name": spec.name, "post": schema(post)},
    )
    return view.as_view()


def person_move_views(
    base: type[MoveView], *, prefix: str, responses: dict[int, Any]
) -> list[tuple[str, Any]]:
    """(slug, view) of every move a person takes (the system's moves have no route), each
    request schema under the prefix's own names."""
    inputs = renamed_inputs(prefix)
    return [
        (
            spec.slug,
            move_view(base, spec, prefix=prefix, responses=responses, request_schema=inputs),
        )
        for spec in base.lifecycle.ordered()
        if not spec.system
    ]


def renamed_inputs(prefix: str) -> Callable[[ActionSpec], Any]:
    """A request schema per spec under a name of its own in the OpenAPI components (the case,
    hazard and mediation inputs share class names). A choice among one object's rows (its
    parties, its mediators) is an id in the schema."""
    made: dict[type, type] = {}

    def schema(spec: ActionSpec) -> Any:
        from rest_framework import serializers

        if spec.input is None:
            return None
        if spec.input not in made:
            per_object = {
                name: serializers.CharField(label=field.label, required=field.required)
                for name, field in getattr(spec.input, "_declared_fields", {}).items()
                if isinstance(field, serializers.ChoiceField) and not field.choices
            }
            made[spec.input] = type(f"{prefix}{spec.input.__name__}", (spec.input,), per_object)
        return made[spec.input]

    return schema
