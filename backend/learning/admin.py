"""Admin: review cards and their history, read-only (the scheduler alone changes a card; the log is history)."""

from django.contrib import admin

from .models import ReviewCard, ReviewLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewCard)
class ReviewCardAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "gene", "kind", "state", "reps", "due", "last_review"]
    list_filter = ["kind", "state"]
    search_fields = ["user__username", "gene__symbol"]
    list_select_related = ["user", "gene"]


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "gene", "kind", "grade", "correct", "reviewed_at", "state_before", "state_after"]
    list_filter = ["kind", "grade", "correct"]
    search_fields = ["user__username", "gene__symbol"]
    list_select_related = ["user", "gene"]
