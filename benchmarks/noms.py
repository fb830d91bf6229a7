"""Frequent French family names and given names (accents included) for synthetic data."""

NOMS = """Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèbvre Leroy
Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Müller Lefèvre Faure
André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin
Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier
Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy
Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois
Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger
Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris
Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin Bailly Hervé Schneider
Fernandez Le Gall Collet Léger Bouvier Julien Prévost Millet Perrot Daniel Le Roux Cousin Germain Breton Besson
Langlois Rémy Le Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger Jacob
Monnier Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier Collin Chauvin Da Silva
Bouchet Gay Lemaître Bénard Maréchal Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune
Gilbert Lamy Delaunay Pasquier Carlier Laporte N'Diaye Ngmb-Dupont Benali Haddad Nguyen Traoré Diallo Ben Salah""".split()

PRENOMS = """Jean Marie Pierre Michel André Philippe Louis Nicolas François Alain Jacques Bernard Éric Patrick
Christophe Daniel Thomas Julien Frédéric Stéphane Laurent David Sébastien Olivier Pascal Claude Henri Gérard
Lucas Hugo Léo Gabriel Raphaël Arthur Louis Jules Adam Maël Noah Ethan Nathan Théo Tom Enzo Mathis Timéo Noé
Rayan Mohamed Yanis Ilyes Kylian Baptiste Maxime Clément Alexandre Antoine Quentin Romain Valentin Florian Kévin
Anthony Jordan Dylan Loïc Jérôme Cédric Grégory Anaïs Émilie Élodie Mélanie Hélène Léa Chloé Emma Manon Camille
Inès Jade Louise Alice Lina Rose Anna Mila Ambre Julia Zoé Léna Juliette Lou Éva Agathe Clémence Océane Laura
Sarah Pauline Marine Justine Mathilde Margaux Lucie Charlotte Amandine Aurélie Céline Sandrine Nathalie Isabelle
Sylvie Catherine Françoise Christine Valérie Véronique Corinne Martine Nadia Fatima Yasmine Aïcha Kenza Maëlys
Ngmb-Jeanne Jean-Baptiste Marie-Claire Anne-Sophie Pierre-Louis Jean-Éric Lise-Marie""".split()
