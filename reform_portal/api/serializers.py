"""What every API serializer that reads input shares."""

from rest_framework import serializers

# An id a path or a filter may name: positive and within a 64-bit key.
ID = {"min_value": 1, "max_value": 2**63 - 1}


def parsed(serializer_class, request):
    """The request body through `serializer_class`, or a 400 naming the fields."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know: a misspelt field is an error, not silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - known)
            if unknown:
                raise serializers.ValidationError({name: ["未知字段。"] for name in unknown})
        return super().to_internal_value(data)
