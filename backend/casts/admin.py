"""Admin: the casts, their sides and genes (built-in ones are reloaded from data by `manage.py load_casts`)."""

from django.contrib import admin

from .models import Cast, CastMember, CastSide


class CastSideInline(admin.TabularInline):
    model = CastSide
    extra = 0
    fields = ["position", "name"]
    show_change_link = True


@admin.register(Cast)
class CastAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "builtin", "public", "owner", "updated_at"]
    list_filter = ["builtin", "public"]
    search_fields = ["slug", "title", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [CastSideInline]


class CastMemberInline(admin.TabularInline):
    model = CastMember
    extra = 0
    raw_id_fields = ["gene"]


@admin.register(CastSide)
class CastSideAdmin(admin.ModelAdmin):
    list_display = ["cast", "position", "name"]
    search_fields = ["cast__slug", "name"]
    inlines = [CastMemberInline]
