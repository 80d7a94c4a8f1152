from django.contrib import admin

from .models import GenerationRequest, ProviderKey


@admin.register(GenerationRequest)
class GenerationRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "gene",
        "emulsion",
        "user",
        "status",
        "attempts",
        "claimed_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["gene__symbol", "user__username"]
    raw_id_fields = ["gene", "portrait", "user"]
    readonly_fields = ["created_at"]
    actions = ["requeue"]

    @admin.action(description="Queue again (attempts reset; not for own-key requests)")
    def requeue(self, request, queryset):
        # A byok request's provider may have billed its one call: only its user may ask again.
        skipped = queryset.filter(kind=GenerationRequest.BYOK).count()
        queryset.filter(kind=GenerationRequest.FREE).update(
            status=GenerationRequest.QUEUED, attempts=0, claimed_by="", claimed_at=None, finished_at=None, error=""
        )
        if skipped:
            self.message_user(
                request, f"{skipped} own-key request(s) not queued again: the provider is called once per request."
            )


@admin.register(ProviderKey)
class ProviderKeyAdmin(admin.ModelAdmin):
    """Shows who stored a key and its fingerprint; the encrypted key is never shown or edited here."""

    list_display = ["user", "provider", "model", "fingerprint", "updated_at"]
    fields = ["user", "provider", "model", "fingerprint", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
