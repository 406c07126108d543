from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from departments.choices import Role
from departments.models import Department
from departments.services import member_set

# username, department (any registered name), role, may use the admin, 姓名, 职务
DEMO_ACCOUNTS = [
    ("office", "区政府办公室", Role.OFFICE, True, "周文静", "督查科科长"),
    ("supervisor", "区督查室", Role.SUPERVISOR, False, "陈立新", "督查专员"),
    ("leader", "区人民政府", Role.LEADER, False, "李国华", "副区长"),
    ("staff", "区编委办", Role.STAFF, False, "王小梅", "科员"),
    ("staff2", "区发改委", Role.STAFF, False, "刘建军", "科员"),
    ("head", "区编委办", Role.HEAD, False, "赵志强", "主任"),
]


class Command(BaseCommand):
    help = "Create or reset the demo accounts (one per role) and an `admin` superuser, all with one password."

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True)

    def handle(self, *args, password, **options):
        if len(password) < 8:
            raise CommandError("密码至少8位。")
        rows = []
        for username, department_name, role, is_staff, full_name, title in DEMO_ACCOUNTS:
            department = Department.objects.resolve(department_name)
            if department is None:
                raise CommandError(f"部门“{department_name}”未登记：请先运行 load_seed_plans。")
            member_set(
                username=username,
                department=department,
                role=role,
                password=password,
                is_staff=is_staff,
                full_name=full_name,
                title=title,
            )
            rows.append((username, Role(role).label, department.name))
        admin, _ = get_user_model().objects.get_or_create(username="admin")
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.set_password(password)
        admin.save()
        rows.append(("admin", "系统管理员", "—"))
        for username, role, department in rows:
            self.stdout.write(f"  {username:<11} {role:<10} {department}")
