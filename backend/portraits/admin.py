"""Admin: moderate candidates (hide/unhide), pin a canonical portrait; every canonical change is logged."""

from django.contrib import admin, messages

from . import canonical, services
from .models import Canonical, CanonicalChange, Emulsion, Portrait, Vote


@admin.register(Emulsion)
class EmulsionAdmin(admin.ModelAdmin):
    list_display = ["emulsion_id", "name", "sampler", "palette", "texture", "blocked"]
    list_filter = ["blocked", "palette", "texture"]
    search_fields = ["emulsion_id", "name", "artists"]


@admin.register(Portrait)
class PortraitAdmin(admin.ModelAdmin):
    list_display = ["id", "gene", "emulsion", "origin", "score", "votes_count", "hidden", "created_at"]
    list_filter = ["hidden", "origin", "renderer"]
    search_fields = ["gene__symbol", "sha256"]
    raw_id_fields = ["gene", "emulsion", "transferred_from", "created_by"]
    readonly_fields = ["sha256", "score", "votes_count", "created_at"]
    actions = ["hide", "unhide", "pin_as_canonical"]

    @admin.action(description="Hide from public view")
    def hide(self, request, queryset):
        count = services.set_hidden(list(queryset), True, changed_by=request.user)
        self.message_user(request, f"{count} portrait(s) hidden")

    @admin.action(description="Show again (unhide)")
    def unhide(self, request, queryset):
        count = services.set_hidden(list(queryset), False, changed_by=request.user)
        self.message_user(request, f"{count} portrait(s) shown again")

    @admin.action(description="Make canonical and pin (overrides votes)")
    def pin_as_canonical(self, request, queryset):
        portraits = list(queryset.select_related("gene"))
        if len({p.gene_id for p in portraits}) != len(portraits):
            self.message_user(request, "choose at most one portrait per gene", level=messages.ERROR)
            return
        for portrait in portraits:
            canonical.pin_canonical(portrait, changed_by=request.user)
        self.message_user(request, f"{len(portraits)} canonical portrait(s) pinned")


@admin.register(Canonical)
class CanonicalAdmin(admin.ModelAdmin):
    list_display = ["gene", "portrait", "pinned", "changed_at"]
    list_filter = ["pinned"]
    search_fields = ["gene__symbol"]
    raw_id_fields = ["gene", "portrait"]
    actions = ["pin", "unpin"]

    def save_model(self, request, obj, form, change):
        """Choosing a portrait by hand is a pin, and is logged like one."""
        if obj.portrait.gene_id != obj.gene_id:
            self.message_user(request, "that portrait belongs to another gene; nothing changed", level=messages.ERROR)
            return
        canonical.pin_canonical(obj.portrait, changed_by=request.user)

    @admin.action(description="Pin this portrait (votes no longer change it)")
    def pin(self, request, queryset):
        for choice in queryset.select_related("portrait__gene"):
            canonical.pin_canonical(choice.portrait, changed_by=request.user)
        self.message_user(request, f"{queryset.count()} canonical portrait(s) pinned")

    @admin.action(description="Unpin (let the votes decide again)")
    def unpin(self, request, queryset):
        for choice in queryset.select_related("gene"):
            canonical.unpin_canonical(choice.gene, changed_by=request.user)
        self.message_user(request, "unpinned")


@admin.register(CanonicalChange)
class CanonicalChangeAdmin(admin.ModelAdmin):
    list_display = ["gene", "old_portrait", "new_portrait", "reason", "changed_by", "changed_at"]
    search_fields = ["gene__symbol", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["portrait", "user", "value"]
    raw_id_fields = ["portrait", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
