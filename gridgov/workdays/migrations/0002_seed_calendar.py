from django.db import migrations


def seed(apps, schema_editor):
    from gridgov.workdays.seed import seed_from_chinese_calendar

    seed_from_chinese_calendar(
        apps.get_model("workdays", "CalendarYear"), apps.get_model("workdays", "DayOverride")
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
