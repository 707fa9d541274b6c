/* Shared by profile-v1.html and profile-v2.html. */
document.getElementById('save').addEventListener('click', function () {
	var name = document.getElementById('name').value;
	var color = document.getElementById('color').value;
	var news = document.getElementById('news').checked;

	document.getElementById('result').textContent = 'Saved: ' + name +
	    ', ' + color + (news ? ', newsletter' : '');
});
document.getElementById('reset').addEventListener('click', function () {
	document.getElementById('profile').reset();
	document.getElementById('result').textContent = '';
});
