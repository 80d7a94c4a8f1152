from django.contrib import admin, messages

from . import services
from .models import ArtistOptOut, BlockedArtist


@admin.register(ArtistOptOut)
class ArtistOptOutAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "contact", "status", "created_at", "handled_by"]
    list_filter = ["status"]
    search_fields = ["name", "contact"]
    readonly_fields = ["name", "contact", "message", "created_at", "status", "handled_by", "handled_at"]
    actions = ["block_artist", "dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Block this artist (hide their emulsions and portraits)")
    def block_artist(self, request, queryset):
        for optout in queryset:
            report = services.block_optout(optout, request.user)
            self.message_user(
                request,
                f"Blocked “{report.artist.name}”: {report.emulsions} emulsion(s) blocked, "
                f"{report.portraits} portrait(s) hidden.",
                messages.SUCCESS,
            )

    @admin.action(description="Dismiss")
    def dismiss(self, request, queryset):
        for optout in queryset:
            services.dismiss_optout(optout, request.user)
        self.message_user(request, f"Dismissed {queryset.count()} request(s).", messages.SUCCESS)


@admin.register(BlockedArtist)
class BlockedArtistAdmin(admin.ModelAdmin):
    list_display = ["name", "blocked_at", "blocked_by"]
    search_fields = ["name"]
    readonly_fields = ["blocked_at", "blocked_by"]

    def get_readonly_fields(self, request, obj=None):
        # A block is not renamed (that would not unhide or re-hide anything); delete and add instead.
        return ["name", *self.readonly_fields] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Adding a name here has the same effect as the opt-out action.
        if change:
            super().save_model(request, obj, form, change)
            return
        report = services.block_artist(obj.name, request.user)
        obj.pk = report.artist.pk
        self.message_user(
            request, f"{report.emulsions} emulsion(s) blocked, {report.portraits} portrait(s) hidden.", messages.SUCCESS
        )
