/// `form#assign` and `form#unassign`. havend lists users only to administrators, so the
/// person types the user name (what `record assign ID USER` takes); the roles a user must
/// hold to be assigned are said beside it.
public enum AssignFormView {
    public static func render(recordID: String, assignableRoles: [String], user: String, notice: HTML, csrfField: HTML,
                              words: Words) -> HTML {
        let roles: HTML = assignableRoles.isEmpty ? .empty
            : "<p class=\"form-note\" id=\"assign-note\">\(words("The user must hold one of these roles: {roles}.", ["roles": assignableRoles.joined(separator: ", ")]))</p>"
        return """
        \(notice)<form id="assign" method="post" action="/records/\(recordID)/assign" autocomplete="off">\(csrfField)
        <div class="field" data-field="user"><label for="assign-user">\(words("Assign to (user name)"))</label>
        <input type="text" id="assign-user" name="user" required aria-required="true" maxlength="64" autocomplete="off" value="\(user)" aria-describedby="assign-note"></div>
        \(roles)
        <div class="actions"><button type="submit" id="assign-submit">\(words("Assign"))</button></div>
        </form>
        <form id="unassign" method="post" action="/records/\(recordID)/unassign" autocomplete="off">\(csrfField)
        <div class="field" data-field="user"><label for="unassign-user">\(words("Remove from the record (user name)"))</label>
        <input type="text" id="unassign-user" name="user" required aria-required="true" maxlength="64" autocomplete="off"></div>
        <div class="actions"><button type="submit" id="unassign-submit">\(words("Remove"))</button></div>
        </form>
        <p><a href="/records/\(recordID)">\(words("Back to the record"))</a></p>
        """
    }
}
