from rest_framework import serializers

from ..models import Department


class DepartmentSerializer(serializers.ModelSerializer):
    short_name = serializers.CharField(read_only=True)
    names = serializers.SerializerMethodField()

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "names", "kind", "parent", "is_active"]

    def get_names(self, department) -> list[str]:
        return [alias.name for alias in department.aliases.all()]
