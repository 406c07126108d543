#!/bin/sh
# Issue 18's figure: the places that decide a permission outside the rule homes
# (each app's rules.py, departments/permissions.py, querysets' visible_to, the context
# processor), and the places that spell out an assignment's lead/co-operating role.
# Usage: scripts/permission_places.sh [-v]   (-v lists the lines)
cd "$(dirname "$0")/.." || exit 1
homes='(^|/)(rules|permissions|querysets|context_processors)\.py:|^tasks/models/|/migrations/|^tests/|^benchmarks/|^importer/|create_demo_users|choices\.py:'
roles=$(grep -rnE 'role_of\(|is_office\(|require_office|membership\.role|Role\.(OFFICE|STAFF|HEAD|SUPERVISOR|LEADER)|PORTAL_WIDE_ROLES|DEPARTMENT_ROLES|is_superuser' \
    --include='*.py' --include='*.html' departments tasks supervision assessment reform_portal templates \
    $(ls -d notifications reminders dashboard documents 2>/dev/null) | grep -vE "$homes")
leads=$(grep -rnE '\.?role ?== ?("lead"|"cooperating"|AssignmentRole\.(LEAD|COOPERATING))|role=("lead"|"cooperating")|"role"\] ?== ?"lead"|assignments__role=|role__in=roles' \
    --include='*.py' --include='*.html' departments tasks supervision assessment templates \
    $(ls -d notifications reminders dashboard documents 2>/dev/null) | grep -vE "$homes")
echo "permission-deciding role tests outside rules: $(printf '%s\n' "$roles" | grep -c .)"
echo "lead/co-operating spelled out: $(printf '%s\n' "$leads" | grep -c .)"
if [ "$1" = "-v" ]; then printf '%s\n' "$roles"; echo ---; printf '%s\n' "$leads"; fi
